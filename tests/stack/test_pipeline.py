"""From the public post to the department: ingest, read, assess, route, act."""

from __future__ import annotations

import pytest

from sablier.cases.models import CaseEvent, RouteCorrection
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, approve_pending, mention_payload

pytestmark = pytest.mark.django_db


def _ingest_and_triage(api: ApiClient, **overrides: object) -> dict[str, object]:
    case_id = api.post("/api/mentions", mention_payload(**overrides)).json()["case_id"]
    run_single_cycle()
    detail: dict[str, object] = api.get(f"/api/cases/{case_id}").json()
    return detail


def test_it_routes_a_mortgage_complaint_to_customer_service(api: ApiClient) -> None:
    case = _ingest_and_triage(api)
    assert (case["state"], case["department"], case["intent"]) == ("routed", "customer-service", "complaint")
    assert case["language"] == "en" and case["sentiment"] == "negative"
    assert case["assessment"] == "unhappy_customer" and case["assessment_outcome"] == "restoration"
    assert any("rule 'complaint'" in reason for reason in case["reasons"])  # type: ignore[attr-defined]


def test_it_reads_french_and_routes_a_job_question_to_hr(api: ApiClient) -> None:
    case = _ingest_and_triage(
        api, text="Bonjour, est-ce que vous embauchez des conseillers à Québec? J'aimerais postuler."
    )
    assert (case["language"], case["intent"], case["department"]) == ("fr", "job", "hr")


def test_it_puts_a_troll_in_monitor_only_at_the_waist(api: ApiClient) -> None:
    case = _ingest_and_triage(
        api, text="Bande de clowns incompétents, vous êtes des escrocs, honte à vous 🤡🤡"
    )
    assert (case["state"], case["department"]) == ("monitor_only", "central")


def test_it_raises_a_threat_to_critical_and_sends_it_to_pr(api: ApiClient) -> None:
    case = _ingest_and_triage(
        api, text="If I don't get my money back today I will come to the branch with a gun"
    )
    assert (case["urgency"], case["department"]) == ("critical", "pr")
    assert "legal" in case["consulted"]  # type: ignore[operator]


def test_it_shows_the_five_response_considerations(api: ApiClient) -> None:
    case = _ingest_and_triage(api)
    keys = [c["key"] for c in case["considerations"]]  # type: ignore[attr-defined]
    assert keys == ["transparency", "sourcing", "timeliness", "tone", "influence"]


def test_it_triages_each_case_once(api: ApiClient) -> None:
    api.post("/api/mentions", mention_payload())
    assert run_single_cycle() == 3  # read, triaged, refined by the second pass
    assert run_single_cycle() == 0
    assert CaseEvent.objects.filter(verb="triaged").count() == 1


def test_it_reroutes_and_keeps_the_correction(api: ApiClient) -> None:
    case = _ingest_and_triage(api)
    response = api.post(
        f"/api/cases/{case['id']}/route", {"department": "legal", "reason": "threat of lawsuit"}
    )
    assert (response.status_code, response.json()["department"]) == (200, "legal")
    correction = RouteCorrection.objects.get()
    assert (correction.from_department, correction.to_department) == ("customer-service", "legal")


def test_it_refuses_to_route_to_an_unknown_department(api: ApiClient) -> None:
    case = _ingest_and_triage(api)
    response = api.post(f"/api/cases/{case['id']}/route", {"department": "astrology"})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "department")


def test_it_drafts_comments_and_answers_through_the_state_graph(api: ApiClient) -> None:
    case_id = _ingest_and_triage(api)["id"]
    assert (
        api.post(f"/api/cases/{case_id}/comments", {"text": "@legal is the penalty right?"}).status_code
        == 201
    )
    assert (
        api.post(
            f"/api/cases/{case_id}/drafts", {"text": "We are sorry, a advisor will call you."}
        ).status_code
        == 201
    )
    for state in ("awaiting_approval", "answered", "closed"):
        assert api.post(f"/api/cases/{case_id}/transition", {"state": state}).json()["state"] == state
        approve_pending(api, case_id)
    verbs = [e["verb"] for e in api.get(f"/api/cases/{case_id}").json()["events"]]
    assert verbs[:4] == ["triaged", "routed", "commented", "taken"]


def test_it_refuses_an_illegal_transition_through_the_api(api: ApiClient) -> None:
    case_id = _ingest_and_triage(api)["id"]
    response = api.post(f"/api/cases/{case_id}/transition", {"state": "answered"})
    assert (response.status_code, response.json()["code"]) == (409, "illegal_transition")
    assert api.get(f"/api/cases/{case_id}").json()["state"] == "routed"


def test_it_reopens_an_answered_case_when_the_customer_writes_again(api: ApiClient) -> None:
    case = _ingest_and_triage(api)
    api.post(f"/api/cases/{case['id']}/drafts", {"text": "Sorry!"})
    api.post(f"/api/cases/{case['id']}/transition", {"state": "answered"})
    first = case["messages"][0]["external_id"]  # type: ignore[index]
    api.post("/api/mentions", mention_payload(in_reply_to=first, text="That did not fix anything."))
    assert api.get(f"/api/cases/{case['id']}").json()["state"] == "reopened"
