"""Internal threads: hand-offs with a reason, hand-backs to the central team, @people and @departments."""

from __future__ import annotations

import pytest

from sablier.notify.models import Notification
from tests.conftest import ApiClient, client_of, triaged_case

pytestmark = pytest.mark.django_db

COMPLAINT = "My mortgage renewal letter came late and the rate is wrong. Still waiting for a call back."
JOB = "Bonjour, j'ai vu une offre d'emploi de conseiller, comment postuler?"


def test_it_hands_a_case_off_with_a_reason_and_keeps_the_previous_owner_consulted(api: ApiClient) -> None:
    samir = client_of("samir", ["customer-service"], lead=True)
    case_id = triaged_case(api)
    reason = "the rate comes from the online simulator"
    moved = samir.post(f"/api/cases/{case_id}/handoff", {"department": "tech-support", "reason": reason})
    assert moved.status_code == 200, moved.json()
    case = moved.json()
    assert (case["department"], case["state"], case["assignee"]) == ("tech-support", "routed", None)
    assert "customer-service" in case["consulted"] and "tech-support" not in case["consulted"]
    handed = [e for e in case["events"] if e["verb"] == "handed off"]
    assert handed and handed[-1]["detail"]["reason"] == reason
    assert samir.get(f"/api/cases/{case_id}").status_code == 200  # consulted: still reads the thread


def test_it_refuses_a_hand_off_without_a_reason_naming_the_field(api: ApiClient) -> None:
    case_id = triaged_case(api)
    for body in ({"department": "tech-support"}, {"department": "tech-support", "reason": "   "}):
        response = api.post(f"/api/cases/{case_id}/handoff", body)
        assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "reason")
    assert api.get(f"/api/cases/{case_id}").json()["department"] == "customer-service"


def test_it_refuses_a_hand_off_to_an_unknown_department_naming_the_field(api: ApiClient) -> None:
    case_id = triaged_case(api)
    response = api.post(f"/api/cases/{case_id}/handoff", {"department": "astrology", "reason": "stars"})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "department")
    assert "tech-support" in response.json()["errors"][0]["message"]
    same = api.post(f"/api/cases/{case_id}/handoff", {"department": "customer-service", "reason": "again"})
    assert (same.status_code, same.json()["errors"][0]["field"]) == (422, "department")


def test_it_hands_a_case_back_to_the_central_team(api: ApiClient) -> None:
    samir = client_of("samir", ["customer-service"], lead=True)
    case_id = triaged_case(api)
    back = samir.post(f"/api/cases/{case_id}/handback", {"reason": "this is a brand question"})
    assert back.status_code == 200, back.json()
    assert (back.json()["department"], back.json()["state"]) == ("central", "routed")
    assert "customer-service" in back.json()["consulted"]
    assert any(e["verb"] == "handed back" for e in back.json()["events"])
    again = api.post(f"/api/cases/{case_id}/handback", {"reason": "twice"})
    assert (again.status_code, again.json()["errors"][0]["field"]) == (422, "department")


def test_it_lets_a_mentioned_person_see_a_public_case(api: ApiClient) -> None:
    noah = client_of("noah", ["marketing"])
    case_id = triaged_case(api)
    assert noah.get(f"/api/cases/{case_id}").status_code == 404
    assert api.post(f"/api/cases/{case_id}/comments", {"text": "@noah is this our promo?"}).status_code == 201
    assert noah.get(f"/api/cases/{case_id}").status_code == 200
    assert [c["id"] for c in noah.get("/api/cases").json()["items"]] == [case_id]
    assert noah.post(f"/api/cases/{case_id}/drafts", {"text": "Hello"}).status_code == 403


def test_it_never_lets_a_mention_open_an_hr_case_to_marketing(api: ApiClient) -> None:
    noah = client_of("noah", ["marketing"])
    julie = client_of("julie", ["hr"], lead=True)
    case_id = triaged_case(api, JOB)
    assert api.get(f"/api/cases/{case_id}").json()["department"] == "hr"
    julie.post(f"/api/cases/{case_id}/comments", {"text": "@noah @marketing is this posting ours?"})
    api.post(f"/api/cases/{case_id}/comments", {"text": "@noah please look"})
    assert noah.get(f"/api/cases/{case_id}").status_code == 404
    assert noah.get("/api/cases").json()["items"] == []
    assert "marketing" not in api.get(f"/api/cases/{case_id}").json()["consulted"]


def test_it_consults_a_mentioned_department(api: ApiClient) -> None:
    marc = client_of("marc", ["legal"])
    case_id = triaged_case(api)
    assert marc.get(f"/api/cases/{case_id}").status_code == 404
    api.post(f"/api/cases/{case_id}/comments", {"text": "@legal is the penalty clause right?"})
    assert "legal" in api.get(f"/api/cases/{case_id}").json()["consulted"]
    assert marc.get(f"/api/cases/{case_id}").status_code == 200
    assert marc.post(f"/api/cases/{case_id}/comments", {"text": "It is."}).status_code == 201


def test_it_writes_an_in_app_notification_for_each_mention(api: ApiClient) -> None:
    client_of("noah", ["marketing"])
    client_of("marc", ["legal"])
    client_of("mia", ["legal"])
    case_id = triaged_case(api)
    api.post(f"/api/cases/{case_id}/comments", {"text": "@noah and @legal, see the rate. Thanks @boss"})
    rows = Notification.objects.filter(kind="mention", case_id=case_id)
    assert sorted(rows.values_list("user__username", flat=True)) == ["marc", "mia", "noah"]
    noah = rows.get(user__username="noah")
    assert "boss mentioned you" in noah.text_en and "see the rate" in noah.text_en
    assert "boss vous a mentionné" in noah.text_fr
    assert "mentioned legal" in rows.get(user__username="marc").text_en
