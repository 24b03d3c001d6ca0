"""/api/webhooks end to end: validation, central team only, the secret shown once, retries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sablier.webhooks.models import Delivery, Endpoint
from sablier.webhooks.outbox import do_enqueue_webhook
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db
HOOK = {"url": "https://hooks.example.com/sablier", "events": ["hold.started", "person.merged"]}


def field_of(response: object) -> tuple[int, str]:
    return response.status_code, response.json()["errors"][0]["field"]  # type: ignore[attr-defined]


def test_it_creates_an_endpoint_and_shows_a_generated_secret(api: ApiClient) -> None:
    response = api.post("/api/webhooks", HOOK)
    assert response.status_code == 201
    created = response.json()
    assert (created["url"], created["events"]) == (HOOK["url"], HOOK["events"])
    assert len(created["secret"]) >= 40 and Endpoint.objects.get(pk=created["id"]).secret == created["secret"]


def test_it_keeps_a_given_secret_and_never_lists_it(api: ApiClient) -> None:
    api.post("/api/webhooks", {**HOOK, "secret": "my-own-secret-1234567"})
    listed = api.get("/api/webhooks").json()
    assert [e["url"] for e in listed] == [HOOK["url"]] and "secret" not in listed[0]
    assert Endpoint.objects.get().secret == "my-own-secret-1234567"


@pytest.mark.parametrize(
    "url", ["ftp://hooks.example.com/x", "https://", "not a url", "https://u:p@h.example/"]
)
def test_it_refuses_a_bad_url(api: ApiClient, url: str) -> None:
    assert field_of(api.post("/api/webhooks", {**HOOK, "url": url})) == (422, "url")


@pytest.mark.parametrize("events", [[], ["hold.startd"], ["*", "nope"]])
def test_it_refuses_unknown_or_no_events(api: ApiClient, events: list[str]) -> None:
    assert field_of(api.post("/api/webhooks", {**HOOK, "events": events})) == (422, "events")


def test_it_refuses_a_short_secret(api: ApiClient) -> None:
    assert field_of(api.post("/api/webhooks", {**HOOK, "secret": "short"})) == (422, "secret")


def test_it_is_for_the_central_team_only(marketing_api: ApiClient) -> None:
    for response in (marketing_api.post("/api/webhooks", HOOK), marketing_api.get("/api/webhooks")):
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert Endpoint.objects.count() == 0


def test_it_lists_deliveries_newest_first(api: ApiClient) -> None:
    endpoint_id = api.post("/api/webhooks", HOOK).json()["id"]
    do_enqueue_webhook("hold.started", {"n": 1}, datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    do_enqueue_webhook("person.merged", {"n": 2}, datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    log = api.get(f"/api/webhooks/{endpoint_id}/deliveries").json()
    assert [(d["event"], d["state"], d["attempts"]) for d in log] == [
        ("person.merged", "pending", 0),
        ("hold.started", "pending", 0),
    ]
    assert api.get("/api/webhooks/999999/deliveries").status_code == 404


def test_it_puts_a_failed_delivery_back_to_pending(api: ApiClient) -> None:
    api.post("/api/webhooks", HOOK)
    do_enqueue_webhook("hold.started", {}, datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    delivery = Delivery.objects.get()
    assert api.post(f"/api/webhooks/deliveries/{delivery.pk}/retry", {}).status_code == 409
    Delivery.objects.update(state="failed", last_error="HTTP 410")
    retried = api.post(f"/api/webhooks/deliveries/{delivery.pk}/retry", {}).json()
    assert retried["state"] == "pending" and retried["next_attempt_at"] is not None
