"""Deliveries against a real HTTP receiver on 127.0.0.1: signed, retried, given up, claimed once."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest

from sablier.lib import http
from sablier.webhooks.delivery import claim_delivery, deliver_due
from sablier.webhooks.models import Delivery, Endpoint
from sablier.webhooks.outbox import do_enqueue_webhook
from sablier.webhooks.signing import verify
from tests.receiver import Receiver

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
SECRET = "receiver-secret-0123456789"


@pytest.fixture
def endpoint(receiver: Receiver) -> Endpoint:
    return Endpoint.objects.create(url=receiver.url, secret=SECRET, events=["hold.started"])


def enqueue() -> Delivery:
    assert do_enqueue_webhook("hold.started", {"person_id": 7}, NOW) == 1
    return Delivery.objects.get()


def test_it_sends_a_signed_body_that_verifies(allowed: None, endpoint: Endpoint, receiver: Receiver) -> None:
    delivery = enqueue()
    assert deliver_due(NOW) == 1
    sent = receiver.requests[0]
    timestamp, signature = int(sent["headers"]["X-Sablier-Timestamp"]), sent["headers"]["X-Sablier-Signature"]
    assert sent["body"] == delivery.body.encode() and timestamp == int(NOW.timestamp())
    assert verify(SECRET, timestamp, sent["body"].decode(), signature, NOW)


def test_it_names_the_event_and_the_delivery(allowed: None, endpoint: Endpoint, receiver: Receiver) -> None:
    delivery = enqueue()
    deliver_due(NOW)
    headers = receiver.requests[0]["headers"]
    assert (headers["X-Sablier-Event"], headers["X-Sablier-Delivery"]) == ("hold.started", str(delivery.pk))
    assert (headers["User-Agent"], headers["Content-Type"]) == ("Sablier-Webhooks/1", "application/json")


def test_it_marks_a_2xx_delivered(allowed: None, endpoint: Endpoint, receiver: Receiver) -> None:
    enqueue()
    deliver_due(NOW)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 200)
    assert delivery.delivered_at == NOW


def test_it_retries_a_500_a_minute_later_with_the_same_bytes(
    allowed: None, endpoint: Endpoint, receiver: Receiver
) -> None:
    enqueue()
    receiver.answer(500)
    deliver_due(NOW)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.next_attempt_at, delivery.last_status) == (
        "pending",
        NOW + timedelta(minutes=1),
        500,
    )
    assert deliver_due(NOW + timedelta(seconds=59)) == 0
    assert deliver_due(NOW + timedelta(minutes=1)) == 1
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert Delivery.objects.get().state == "delivered"


def test_it_honours_retry_after_on_429(allowed: None, endpoint: Endpoint, receiver: Receiver) -> None:
    enqueue()
    receiver.answer(429, {"Retry-After": "120"})
    deliver_due(NOW)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.next_attempt_at) == ("pending", NOW + timedelta(seconds=120))


def test_it_gives_up_at_once_on_410(allowed: None, endpoint: Endpoint, receiver: Receiver) -> None:
    enqueue()
    receiver.answer(410)
    deliver_due(NOW)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("failed", 1, 410)
    assert deliver_due(NOW + timedelta(days=1)) == 0


def test_it_gives_up_after_the_last_back_off(allowed: None, endpoint: Endpoint, receiver: Receiver) -> None:
    enqueue()
    Delivery.objects.update(attempts=6)
    receiver.answer(503)
    deliver_due(NOW)
    assert Delivery.objects.values_list("state", "attempts").get() == ("failed", 7)


def test_it_refuses_a_private_address_unless_allowed(
    monkeypatch: pytest.MonkeyPatch, endpoint: Endpoint, receiver: Receiver
) -> None:
    monkeypatch.setattr(http, "private_addresses_allowed", lambda: False)
    enqueue()
    deliver_due(NOW)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_status, receiver.requests) == ("failed", None, [])
    assert "non-public address 127.0.0.1" in delivery.last_error


def test_it_sends_once_for_two_runs_at_the_same_time(
    allowed: None, endpoint: Endpoint, receiver: Receiver
) -> None:
    enqueue()
    receiver.answer(500)
    assert [deliver_due(NOW), deliver_due(NOW)] == [1, 0]
    assert len(receiver.requests) == 1


def test_it_lets_only_one_worker_claim_an_attempt(endpoint: Endpoint) -> None:
    enqueue()
    first, second = Delivery.objects.get(), Delivery.objects.get()
    assert [claim_delivery(first, NOW), claim_delivery(second, NOW)] == [True, False]
    assert Delivery.objects.get().attempts == 1


def test_it_records_a_network_failure_as_transient(allowed: None) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    Endpoint.objects.create(url=f"http://127.0.0.1:{port}/", secret=SECRET, events=["*"])
    enqueue()
    deliver_due(NOW)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.next_attempt_at) == ("pending", NOW + timedelta(minutes=1))
    assert delivery.last_error.startswith("ConnectError")
