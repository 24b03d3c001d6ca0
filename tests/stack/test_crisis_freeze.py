"""Promotion waits during a crisis on its topic; marketing sends are refused to held or opted-out people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sablier.organisation.models import Notice
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db


def _campaign(api: ApiClient, recipients: list[dict[str, str]], **extra: object) -> dict[str, object]:
    body = {
        "purpose": "marketing",
        "channel": "email",
        "subject": "Nouvelle appli!",
        "topics": ["application", "app"],
        "text": "Découvrez notre nouvelle application mobile.",
        "recipients": recipients,
        "scheduled_at": (timezone.now() + timedelta(days=1)).isoformat(),
        **extra,
    }
    response = api.post("/api/posts", body)
    assert response.status_code == 201, response.json()
    return response.json()  # type: ignore[no-any-return]


def test_it_pauses_promotion_on_the_crisis_topic_and_tells_marketing(api: ApiClient) -> None:
    on_topic = _campaign(api, [{"email": "a@example.com"}])
    other = _campaign(api, [{"email": "a@example.com"}], topics=["hypothèque"])
    api.post(
        "/api/mentions",
        mention_payload(
            text="URGENT panne générale: l'application plante et les cartes sont refusées partout, piratage?"
        ),
    )
    run_single_cycle()
    assert api.get(f"/api/posts/{on_topic['id']}").json()["state"] == "paused"
    assert api.get(f"/api/posts/{other['id']}").json()["state"] == "scheduled"
    assert "crisis case" in Notice.objects.get(department__slug="marketing").text
    assert api.post(f"/api/posts/{on_topic['id']}/resume", {}).json()["state"] == "scheduled"


def test_it_refuses_marketing_to_a_held_person_and_sends_the_others(api: ApiClient) -> None:
    api.post(
        "/api/mentions",
        mention_payload(
            network="email", external_id="<m1@example.com>", url=None, author={"handle": "Held@Example.com"}
        ),
    )
    run_single_cycle()
    post = _campaign(api, [{"email": "held@example.com"}, {"email": "free@example.com"}], topics=[])
    sent = api.post(f"/api/posts/{post['id']}/send", {}).json()
    states = {r["handle"]: (r["state"], r["reason"]) for r in sent["recipients"]}
    assert states["free@example.com"] == ("delivered", "")
    assert states["held@example.com"][0] == "refused" and "service hold" in states["held@example.com"][1]
    assert [m.to for m in mail.outbox] == [["free@example.com"]]


def test_it_sends_service_messages_to_held_people(api: ApiClient) -> None:
    api.post(
        "/api/mentions",
        mention_payload(
            network="email", external_id="<m2@example.com>", url=None, author={"handle": "held@example.com"}
        ),
    )
    run_single_cycle()
    post = _campaign(api, [{"email": "held@example.com"}], purpose="service", topics=[])
    assert api.post(f"/api/posts/{post['id']}/send", {}).json()["recipients"][0]["state"] == "delivered"


def test_it_refuses_marketing_after_an_opt_out_by_message(api: ApiClient) -> None:
    api.post(
        "/api/mentions",
        mention_payload(
            network="email",
            external_id="<m3@example.com>",
            url=None,
            author={"handle": "quiet@example.com"},
            text="Unsubscribe me please.",
        ),
    )
    post = _campaign(api, [{"email": "quiet@example.com"}], topics=[])
    sent = api.post(f"/api/posts/{post['id']}/send", {}).json()
    assert (
        sent["recipients"][0]["state"] == "refused"
        and "opted out of email" in sent["recipients"][0]["reason"]
    )
