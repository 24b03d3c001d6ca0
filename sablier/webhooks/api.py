"""/api/webhooks: the central team registers endpoints, reads the delivery log, retries."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from sablier.cases.access import person
from sablier.webhooks.endpoints import (
    access_delivery,
    access_endpoint,
    delivery_log,
    do_create_endpoint,
    do_retry_delivery,
    visible_endpoints,
)
from sablier.webhooks.models import Delivery, Endpoint
from sablier.webhooks.schemas import DeliveryOut, DeliveryQuery, EndpointCreated, EndpointIn, EndpointOut
from sablier.webhooks.states import PENDING

router = Router(tags=["webhooks"])


def delivery_out(delivery: Delivery) -> DeliveryOut:
    due = delivery.next_attempt_at if delivery.state == PENDING else None
    return DeliveryOut(
        id=delivery.pk,
        event=delivery.event,
        state=delivery.state,
        attempts=delivery.attempts,
        last_status=delivery.last_status,
        last_error=delivery.last_error,
        next_attempt_at=due,
        created_at=delivery.created_at,
        delivered_at=delivery.delivered_at,
    )


def endpoint_out(endpoint: Endpoint) -> EndpointOut:
    return EndpointOut(
        id=endpoint.pk,
        url=endpoint.url,
        events=endpoint.events,
        active=endpoint.active,
        created_at=endpoint.created_at,
    )


@router.post("", response={201: EndpointCreated})
def create_endpoint(request: HttpRequest, payload: EndpointIn) -> Status[EndpointCreated]:
    endpoint = do_create_endpoint(person(request.user), payload.url, payload.events, payload.secret)
    return Status(201, EndpointCreated(**endpoint_out(endpoint).model_dump(), secret=endpoint.secret))


@router.get("", response=list[EndpointOut])
def list_endpoints(request: HttpRequest) -> list[EndpointOut]:
    return [endpoint_out(e) for e in visible_endpoints(request.user)]


@router.get("/{endpoint_id}/deliveries", response=list[DeliveryOut])
def list_deliveries(request: HttpRequest, endpoint_id: int, query: Query[DeliveryQuery]) -> list[DeliveryOut]:
    endpoint = access_endpoint(request.user, endpoint_id)
    return [delivery_out(d) for d in delivery_log(endpoint, query.limit)]


@router.post("/deliveries/{delivery_id}/retry", response=DeliveryOut)
def retry_delivery(request: HttpRequest, delivery_id: int) -> DeliveryOut:
    return delivery_out(do_retry_delivery(access_delivery(request.user, delivery_id), timezone.now()))
