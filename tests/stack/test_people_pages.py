"""The person page: central team only; it shows the policy and the suggested merge, and merges."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from sablier.listen.models import Mention
from sablier.organisation.people import do_create_user
from sablier.people.audience import import_audience
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def person_id(api: ApiClient) -> int:
    api.post("/api/mentions", mention_payload(author={"handle": "@metremblay@mastodon.social"}))
    run_single_cycle()
    import_audience(FIXTURES / "audience.csv")
    return Mention.objects.get().author.person_id


def _client(username: str, password: str) -> Client:
    client = Client()
    assert client.login(username=username, password=password)
    return client


def test_it_shows_the_policy_and_the_suggested_merge(person_id: int) -> None:
    page = _client("boss", "pw-boss-123").get(f"/people/{person_id}/").content.decode()
    assert 'data-may-contact="false"' in page and "marie-eve.tremblay@example.com" in page


def test_it_merges_from_the_page_and_redirects_the_absorbed_person(api: ApiClient, person_id: int) -> None:
    other = api.get(f"/api/people/{person_id}").json()["suggested_merges"][0]["person_id"]
    client = _client("boss", "pw-boss-123")
    client.post(f"/people/{person_id}/merge", {"absorb": other, "reason": "same e-mail"})
    assert client.get(f"/people/{other}/").url == f"/people/{person_id}/"
    assert (
        api.get("/api/contact-policy", email="marie-eve.tremblay@example.com").json()["may_contact"] is False
    )


def test_it_hides_people_from_departments(person_id: int) -> None:
    do_create_user("noah", ["marketing"], password="pw-noah-123")
    assert _client("noah", "pw-noah-123").get(f"/people/{person_id}/").status_code == 404
