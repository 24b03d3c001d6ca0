"""A consulted department takes part in the thread; drafting and moving stay with the owner."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sablier.cases.models import Case, Draft
from sablier.organisation.people import do_create_user
from sablier.organisation.tokens import do_create_token
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db
FIRE = "There is smoke and fire in your branch on Rue Sainte-Catherine, people are evacuating!"


@pytest.fixture
def crisis(api: ApiClient) -> Case:
    case_id = api.post("/api/mentions", mention_payload(text=FIRE)).json()["case_id"]
    run_single_cycle()
    case = Case.objects.get(pk=case_id)
    assert case.department is not None and case.department.slug == "pr"
    assert "legal" in case.consulted.values_list("slug", flat=True)
    return case


@pytest.fixture
def legal(organisation: None) -> ApiClient:
    do_create_user("marc", ["legal"], password="pw-marc-123")
    return ApiClient(do_create_token(User.objects.get(username="marc")))


def test_it_lets_a_consulted_department_read_and_comment(crisis: Case, legal: ApiClient) -> None:
    assert legal.get(f"/api/cases/{crisis.pk}").status_code == 200
    assert (
        legal.post(f"/api/cases/{crisis.pk}/comments", {"text": "Do not admit liability."}).status_code == 201
    )
    assert [c["id"] for c in legal.get("/api/cases").json()["items"]] == [crisis.pk]


def test_it_keeps_drafting_and_moving_with_the_owner(crisis: Case, legal: ApiClient) -> None:
    assert legal.post(f"/api/cases/{crisis.pk}/drafts", {"text": "We are on it."}).status_code == 403
    assert legal.post(f"/api/cases/{crisis.pk}/transition", {"state": "closed"}).status_code == 403
    assert not Draft.objects.exists()


def test_it_shows_the_consulted_case_page_but_refuses_a_draft_from_it(crisis: Case, legal: ApiClient) -> None:
    client = Client()
    client.login(username="marc", password="pw-marc-123")
    assert client.get(f"/cases/{crisis.pk}/").status_code == 200
    client.post(f"/cases/{crisis.pk}/draft", {"text": "We are on it."})
    assert not Draft.objects.exists()


def test_it_hides_a_case_from_an_unconcerned_department(crisis: Case, marketing_api: ApiClient) -> None:
    assert marketing_api.get(f"/api/cases/{crisis.pk}").status_code == 404


def test_it_lists_a_consulted_case_on_the_department_board(crisis: Case, legal: ApiClient) -> None:
    client = Client()
    client.login(username="marc", password="pw-marc-123")
    assert f'data-case="{crisis.pk}"' in client.get("/departments/legal/").content.decode()


def test_it_keeps_consulted_departments_and_urgency_when_cases_merge(api: ApiClient) -> None:
    root = api.post("/api/mentions", mention_payload(external_id="g")).json()["case_id"]
    api.post("/api/mentions", mention_payload(external_id="c", in_reply_to="p", text=FIRE))
    run_single_cycle()
    api.post("/api/mentions", mention_payload(external_id="p", in_reply_to="g", text="Same here."))
    merged = Case.objects.get(pk=root)
    assert Case.objects.count() == 1 and merged.urgency == "critical"
    assert {"legal", "pr"} <= set(merged.consulted.values_list("slug", flat=True))


def test_it_refuses_a_nul_character_in_an_unknown_field(api: ApiClient) -> None:
    response = api.post("/api/mentions", mention_payload(extra="bad\u0000value"))
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "body")


def test_it_does_not_reopen_a_closed_case_for_a_late_older_parent(api: ApiClient) -> None:
    case_id = api.post(
        "/api/mentions",
        mention_payload(external_id="kid", in_reply_to="old", created_at="2026-11-20T12:00:00Z"),
    ).json()["case_id"]
    run_single_cycle()
    api.post(f"/api/cases/{case_id}/transition", {"state": "closed"})
    api.post("/api/mentions", mention_payload(external_id="old", created_at="2026-11-19T12:00:00Z"))
    assert Case.objects.get(pk=case_id).state == "closed"
