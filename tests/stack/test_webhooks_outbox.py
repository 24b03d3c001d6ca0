"""do_enqueue_webhook(): one row per subscribed endpoint, inside the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction

from sablier.webhooks.models import Delivery, Endpoint
from sablier.webhooks.outbox import do_enqueue_webhook

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def endpoint(events: list[str], active: bool = True) -> Endpoint:
    return Endpoint.objects.create(
        url="https://hooks.example.com/x", secret="s" * 32, events=events, active=active
    )


def test_it_queues_one_delivery_per_subscribed_endpoint() -> None:
    wanted, everything = endpoint(["hold.started"]), endpoint(["*"])
    endpoint(["person.merged"])
    endpoint(["hold.started"], active=False)
    assert do_enqueue_webhook("hold.started", {"person_id": 7}, NOW) == 2
    assert set(Delivery.objects.values_list("endpoint_id", flat=True)) == {wanted.pk, everything.pk}


def test_it_gives_an_endpoint_subscribed_elsewhere_nothing() -> None:
    endpoint(["opt_out.added"])
    assert do_enqueue_webhook("person.split", {"person_id": 7}, NOW) == 0
    assert Delivery.objects.count() == 0


def test_it_queues_nothing_when_the_caller_rolls_back() -> None:
    endpoint(["*"])
    with pytest.raises(RuntimeError), transaction.atomic():
        do_enqueue_webhook("hold.ended", {"person_id": 7}, NOW)
        raise RuntimeError("the surrounding change failed")
    assert Delivery.objects.count() == 0


def test_it_stores_the_exact_body_due_now() -> None:
    endpoint(["*"])
    do_enqueue_webhook("opt_out.added", {"handle": "@a@b.c"}, NOW)
    delivery = Delivery.objects.get()
    assert (
        delivery.body
        == '{"data":{"handle":"@a@b.c"},"event":"opt_out.added","occurred_at":"2026-11-20T14:00:00+00:00"}'
    )
    assert (delivery.state, delivery.next_attempt_at, delivery.attempts) == ("pending", NOW, 0)


def test_it_refuses_an_unknown_event() -> None:
    with pytest.raises(ValueError, match="KNOWN_EVENTS"):
        do_enqueue_webhook("hold.startd", {}, NOW)
