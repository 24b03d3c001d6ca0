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
