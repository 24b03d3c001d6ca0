"""Canned answers through the API: who may write them, validation, and rendering on a case."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from sablier.answer.canned_store import do_apply_canned_answers
from sablier.organisation.people import do_create_user
from sablier.organisation.tokens import do_create_token
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db

COMPLAINT = "Ma carte a été bloquée deux fois cette semaine et personne ne répond. Service nul."
AUTHOR = {"handle": "@ana@mastodon.social", "display_name": "Ana {case}", "profile_url": ""}


def client_for(name: str, department: str, lead: bool = False, first_name: str = "") -> ApiClient:
    do_create_user(name, [department], password=f"pw-{name}-123", lead=lead)
    user = get_user_model().objects.get(username=name)
    user.first_name = first_name
    user.save()
    return ApiClient(do_create_token(user, "tests"))


def delete(api: ApiClient, path: str) -> Any:
    return api.client.delete(path, headers=api.headers)


def answer(department: str | None, language: str, name: str, text: str) -> dict[str, Any]:
    return {"department": department, "language": language, "name": name, "text": text}


@pytest.fixture
def lead(organisation: None) -> ApiClient:
    return client_for("lea", "customer-service", lead=True, first_name="Léa")


@pytest.fixture
def complaint(api: ApiClient) -> int:
    case_id: int = api.post("/api/mentions", mention_payload(text=COMPLAINT, author=AUTHOR)).json()["case_id"]
    run_single_cycle()
    case = api.get(f"/api/cases/{case_id}").json()
    assert (case["department"], case["language"]) == ("customer-service", "fr")
    return case_id


def test_it_renders_the_case_answers_in_its_language_with_fallback(
    api: ApiClient, lead: ApiClient, complaint: int
) -> None:
    assert lead.post("/api/canned", answer(None, "fr", "thanks", "Merci {name} !")).status_code == 403
    api.post("/api/canned", answer(None, "fr", "thanks", "Merci {name} ({{{handle}}}), {department}."))
    api.post("/api/canned", answer(None, "en", "thanks", "Thanks {name}"))
    lead.post("/api/canned", answer("customer-service", "en", "apology", "Sorry, {agent} here, case {case}"))
    api.post("/api/canned", answer("marketing", "fr", "promo", "Promo !"))
    rendered = lead.get(f"/api/cases/{complaint}/canned").json()
    assert [(r["name"], r["language"], r["fallback"], r["text"]) for r in rendered] == [
        ("apology", "en", True, f"Sorry, Léa here, case {complaint}"),
        ("thanks", "fr", False, "Merci Ana {case} ({@ana@mastodon.social}), Service à la clientèle."),
    ]


def test_it_hides_another_departments_case_answers_as_not_found(
    api: ApiClient, marketing_api: ApiClient, complaint: int
) -> None:
    api.post("/api/canned", answer(None, "fr", "thanks", "Merci {name}"))
    hidden = marketing_api.get(f"/api/cases/{complaint}/canned")
    missing = marketing_api.get("/api/cases/999999/canned")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"] == missing.json()["error"].replace("999999", str(complaint))


def test_it_refuses_an_unknown_variable_naming_the_field(lead: ApiClient) -> None:
    response = lead.post("/api/canned", answer("customer-service", "fr", "apology", "Désolés {nom}"))
    assert (response.status_code, response.json()["code"]) == (422, "validation")
    [error] = response.json()["errors"]
    assert error["field"] == "text" and "{nom}" in error["message"] and "{name}" in error["message"]
    assert lead.get("/api/canned").json() == []


def test_it_lets_only_a_lead_of_the_department_write(api: ApiClient, lead: ApiClient) -> None:
    member = client_for("max", "customer-service")
    refused = member.post("/api/canned", answer("customer-service", "fr", "apology", "Désolés"))
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert lead.post("/api/canned", answer("marketing", "fr", "apology", "Désolés")).status_code == 403
    created = lead.post("/api/canned", answer("customer-service", "fr", "apology", "Désolés"))
    updated = lead.post("/api/canned", answer("customer-service", "fr", "apology", "Toutes nos excuses"))
    assert (created.status_code, updated.status_code) == (201, 200)
    assert updated.json()["id"] == created.json()["id"]
    assert [a["text"] for a in member.get("/api/canned", language="fr").json()] == ["Toutes nos excuses"]
    assert delete(member, f"/api/canned/{created.json()['id']}").status_code == 403


def test_it_lists_a_departments_answers_with_the_shared_ones(api: ApiClient, lead: ApiClient) -> None:
    api.post("/api/canned", answer(None, "en", "thanks", "Thanks"))
    api.post("/api/canned", answer("marketing", "en", "promo", "Promo"))
    lead.post("/api/canned", answer("customer-service", "en", "apology", "Sorry"))
    assert [a["name"] for a in lead.get("/api/canned").json()] == ["apology", "thanks"]
    assert [a["name"] for a in api.get("/api/canned", department="marketing").json()] == ["promo", "thanks"]
    assert api.get("/api/canned", language="de").json()["errors"][0]["field"] == "language"


def test_it_deletes_and_hides_what_a_department_cannot_see(
    api: ApiClient, lead: ApiClient, marketing_api: ApiClient
) -> None:
    created = lead.post("/api/canned", answer("customer-service", "en", "apology", "Sorry")).json()
    assert delete(marketing_api, f"/api/canned/{created['id']}").status_code == 404
    assert delete(lead, f"/api/canned/{created['id']}").status_code == 204
    assert delete(lead, f"/api/canned/{created['id']}").status_code == 404


def test_it_replaces_the_files_set_and_keeps_saved_answers(api: ApiClient, lead: ApiClient) -> None:
    lead.post("/api/canned", answer("customer-service", "en", "saved", "Saved by a lead"))
    do_apply_canned_answers([{"department": "customer-service", "name": "apology", "en": "Sorry"}])
    do_apply_canned_answers([{"name": "thanks", "en": "Thanks {name}"}])
    listed = api.get("/api/canned").json()
    assert [(a["name"], a["from_file"]) for a in listed] == [("saved", False), ("thanks", True)]
    thanks = listed[1]["id"]
    refused = api.post("/api/canned", answer(None, "en", "thanks", "Changed"))
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "name")
    assert delete(api, f"/api/canned/{thanks}").status_code == 422
