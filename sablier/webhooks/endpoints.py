"""Endpoints and their delivery log: check_* validates, access_* loads for the central team,
do_* changes state."""

from __future__ import annotations

import secrets
from datetime import datetime
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db.models import QuerySet

from sablier.cases.access import Viewer, check_central
from sablier.errors import FieldError, NotFound, ValidationFailed
from sablier.webhooks.events import ALL_EVENTS, KNOWN_EVENTS, is_known_event
from sablier.webhooks.models import Delivery, Endpoint
from sablier.webhooks.states import DELIVERY_STATES, PENDING

MIN_SECRET_LENGTH = 16


def check_endpoint_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise ValidationFailed(
            "The webhook URL is invalid.", [FieldError("url", "use an http:// or https:// URL with a host")]
        )
    if parts.username or parts.password:
        raise ValidationFailed(
            "The webhook URL is invalid.", [FieldError("url", "leave user:password out; check the signature")]
        )
    return url.strip()


def check_endpoint_events(events: list[str]) -> list[str]:
    unknown = [e for e in events if e != ALL_EVENTS and not is_known_event(e)]
    if not events or unknown:
        choices = ", ".join([*sorted(KNOWN_EVENTS), ALL_EVENTS])
        detail = f"unknown: {', '.join(unknown)}; " if unknown else "give at least one; "
        raise ValidationFailed(
            "The webhook events are invalid.", [FieldError("events", detail + f"use {choices}")]
        )
    return list(dict.fromkeys(events))


def check_endpoint_secret(secret: str | None) -> str:
    if secret is None:
        return secrets.token_urlsafe(32)
    if len(secret) < MIN_SECRET_LENGTH or len(secret) > 200:
        message = f"use {MIN_SECRET_LENGTH} to 200 characters, or leave it out to get a generated one"
        raise ValidationFailed("The webhook secret is invalid.", [FieldError("secret", message)])
    return secret


def do_create_endpoint(actor: User, url: str, events: list[str], secret: str | None) -> Endpoint:
    check_central(actor)
    return Endpoint.objects.create(
        url=check_endpoint_url(url),
        events=check_endpoint_events(events),
        secret=check_endpoint_secret(secret),
        created_by=actor,
    )


def visible_endpoints(actor: Viewer) -> QuerySet[Endpoint]:
    check_central(actor)
    return Endpoint.objects.order_by("pk")


def access_endpoint(actor: Viewer, endpoint_id: int) -> Endpoint:
    endpoint = visible_endpoints(actor).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound(f"No webhook endpoint {endpoint_id}.")
    return endpoint


def access_delivery(actor: Viewer, delivery_id: int) -> Delivery:
    check_central(actor)
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(f"No webhook delivery {delivery_id}.")
    return delivery


def delivery_log(endpoint: Endpoint, limit: int) -> list[Delivery]:
    return list(endpoint.deliveries.order_by("-created_at", "-pk")[:limit])


def do_retry_delivery(delivery: Delivery, now: datetime) -> Delivery:
    """A failed delivery goes back to pending, due now; it keeps its attempt count, so it gets
    one more try (and the rest of its back-off, if any is left)."""
    DELIVERY_STATES.check_transition(delivery.state, PENDING)
    Delivery.objects.filter(pk=delivery.pk, state=delivery.state).update(state=PENDING, next_attempt_at=now)
    delivery.refresh_from_db()
    return delivery
