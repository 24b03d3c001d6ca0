"""The lesson that started the product: a customer with an open mortgage complaint must not get promotions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sablier.lib import http
from sablier.people.audience import import_audience
from sablier.people.contact_policy import contact_policy
from sablier.people.holds import do_release_expired_holds
from sablier.people.identifiers import Identifier
from sablier.webhooks.delivery import deliver_due
from sablier.webhooks.signing import verify
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, approve_pending, mention_payload
from tests.receiver import Receiver, running_receiver

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent.parent / "fixtures"
EMAIL = "marie-eve.tremblay@example.com"
COMPLAINT = (
    "Ma lettre de renouvellement hypothécaire est arrivée en retard et le taux appliqué est faux. "
    "Toujours aucune réponse de votre part, c'est inacceptable."
)


@pytest.fixture
def hooks(api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(http, "private_addresses_allowed", lambda: True)
    with running_receiver() as received:
        received.secret = api.post("/api/webhooks", {"url": received.url, "events": ["*"]}).json()["secret"]
        yield received


def _events(received: Receiver) -> list[dict[str, Any]]:
    secret = received.secret
    for request in received.requests:
        headers, body = {k.lower(): v for k, v in request["headers"].items()}, request["body"].decode()
        sent_at = int(headers["x-sablier-timestamp"])  # the injected clock of the delivery
        assert verify(
            secret, sent_at, body, headers["x-sablier-signature"], datetime.fromtimestamp(sent_at, UTC)
        )
        assert not verify(
            "another secret",
            sent_at,
            body,
            headers["x-sablier-signature"],
            datetime.fromtimestamp(sent_at, UTC),
        )
    return [json.loads(r["body"]) for r in received.requests]


def test_it_holds_the_complaining_customer_across_a_merge_and_releases_after_cool_off(
    api: ApiClient, hooks: Receiver
) -> None:
    case_id = api.post(
        "/api/mentions",
        mention_payload(
            author={"handle": "@metremblay@mastodon.social", "display_name": "Marie-Ève Tremblay"},
            text=COMPLAINT,
        ),
    ).json()["case_id"]
    run_single_cycle()
    import_audience(FIXTURES / "audience.csv")
    mastodon = api.get("/api/contact-policy", network="mastodon", handle="@metremblay@mastodon.social").json()
    by_email = api.get("/api/contact-policy", email=EMAIL).json()
    assert mastodon["may_contact"] is False and by_email["may_contact"] is True  # two people until merged

    suggestion = api.get(f"/api/people/{mastodon['person_id']}").json()["suggested_merges"][0]
    assert suggestion["person_id"] == by_email["person_id"] and EMAIL in suggestion["evidence"][0]
    api.post(
        f"/api/people/{mastodon['person_id']}/merge",
        {"absorb": by_email["person_id"], "reason": "same e-mail"},
    )

    single = api.get("/api/contact-policy", email=EMAIL).json()
    bulk = api.post(
        "/api/contact-policy/check", {"identifiers": [{"email": EMAIL}, {"email": "paul.ng@example.org"}]}
    )
    assert single["may_contact"] is False and "complaint" in single["reasons"][0]
    assert "customer-service" in single["reasons"][0]
    assert [r["may_contact"] for r in bulk.json()["results"]] == [False, True]

    closed_at = timezone.now()
    api.post(f"/api/cases/{case_id}/drafts", {"text": "Nous sommes désolés, une conseillère vous appelle."})
    for state in ("awaiting_approval", "answered", "closed"):
        assert api.post(f"/api/cases/{case_id}/transition", {"state": state}).status_code == 200
        approve_pending(api, case_id)
    email = [Identifier(email=EMAIL)]
    assert contact_policy(email, "marketing", closed_at + timedelta(days=13))[0].may_contact is False
    assert do_release_expired_holds(closed_at + timedelta(days=13)) == 0
    assert do_release_expired_holds(closed_at + timedelta(days=15)) == 1
    assert contact_policy(email, "marketing", closed_at + timedelta(days=15))[0].may_contact is True

    deliver_due(closed_at + timedelta(days=15))
    names = [event["event"] for event in _events(hooks)]
    assert names == ["hold.started", "person.merged", "hold.ended"]


def test_it_always_allows_service_messages(api: ApiClient) -> None:
    api.post("/api/mentions", mention_payload(text=COMPLAINT))
    run_single_cycle()
    answer = api.get(
        "/api/contact-policy", network="mastodon", handle="@client@mastodon.social", purpose="service"
    )
    assert answer.json()["may_contact"] is True


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"network": "myspace", "handle": "@a"}, "network"),
        ({"email": "not-an-address"}, "email"),
        ({"person_id": "-3"}, "person_id"),
        ({"email": "a@b.co", "person_id": "3"}, "body"),
        ({"email": "a@b.co", "purpose": "spam"}, "purpose"),
    ],
)
def test_it_refuses_bad_identifiers_naming_the_field(
    api: ApiClient, query: dict[str, str], field: str
) -> None:
    response = api.get("/api/contact-policy", **query)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field


def test_it_refuses_an_oversized_bulk_check(api: ApiClient) -> None:
    response = api.post("/api/contact-policy/check", {"identifiers": [{"email": "a@b.co"}] * 10_001})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "identifiers"


def test_it_names_the_bad_item_of_a_bulk_check(api: ApiClient) -> None:
    response = api.post("/api/contact-policy/check", {"identifiers": [{"email": "a@b.co"}, {"network": "x"}]})
    assert response.json()["errors"][0]["field"] == "identifiers[1]"
