"""Approval rules on drafts: amounts and promises need a customer-service lead; decisions and versions."""

from __future__ import annotations

from typing import Any

import pytest

from sablier.cases.models import Approval
from tests.conftest import ApiClient, client_of, triaged_case

pytestmark = pytest.mark.django_db

COMPLAINT = "My mortgage renewal letter came late and the rate is wrong. Still waiting for a call back."
LEAD = "customer-service:lead"


@pytest.fixture
def people(api: ApiClient) -> dict[str, ApiClient]:
    return {
        "samir": client_of("samir", ["customer-service"], lead=True),
        "sara": client_of("sara", ["customer-service"]),
        "boss": api,
    }


def _drafted(writer: ApiClient, case_id: int, text: str) -> dict[str, Any]:
    response = writer.post(f"/api/cases/{case_id}/drafts", {"text": text, "force": True})
    assert response.status_code == 201, response.json()
    case: dict[str, Any] = writer.get(f"/api/cases/{case_id}").json()
    return case


def _needed(case: dict[str, Any]) -> list[str]:
    return sorted(r["approver"] for r in case["needs_approval"])


def _asked(people: dict[str, ApiClient], text: str) -> tuple[int, dict[str, Any]]:
    """sara drafts the text and asks for approval; the case as samir the lead sees it."""
    case_id = triaged_case(people["boss"])
    _drafted(people["sara"], case_id, text)
    moved = people["sara"].post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    assert moved.status_code == 200, moved.json()
    return case_id, people["samir"].get(f"/api/cases/{case_id}").json()


def _approval(case: dict[str, Any], approver: str) -> dict[str, Any]:
    return next(a for a in case["approvals"] if a["approver"] == approver and a["state"] == "pending")


def test_it_asks_the_customer_service_lead_for_an_amount_and_a_promise(people: dict[str, ApiClient]) -> None:
    case = _drafted(people["sara"], triaged_case(people["boss"]), "We will refund the 25 $ fee today.")
    assert _needed(case) == ["central", LEAD]
    reason = next(r["reason"] for r in case["needs_approval"] if r["approver"] == LEAD)
    assert "amounts or promises" in reason and "'25 $'" in reason and "We will refund" in reason


def test_it_asks_the_lead_for_a_french_amount_and_promise(people: dict[str, ApiClient]) -> None:
    case = _drafted(people["sara"], triaged_case(people["boss"]), "Nous vous rembourserons 12,50 € demain.")
    assert _needed(case) == ["central", LEAD]
    reason = next(r["reason"] for r in case["needs_approval"] if r["approver"] == LEAD)
    assert "12,50 €" in reason and "Nous vous rembourserons" in reason


@pytest.mark.parametrize(
    "text",
    [
        "Your order #12345 ships on 2026-11-30.",
        "Votre commande no 12345 sera livrée le 30/11/2026.",
        "Your file 2026-4471 was opened on November 30, 2026 at 10:30; call 1 800 555-0199.",
    ],
)
def test_it_does_not_take_order_numbers_or_dates_for_amounts(people: dict[str, ApiClient], text: str) -> None:
    case = _drafted(people["sara"], triaged_case(people["boss"]), text)
    assert _needed(case) == ["central"]  # hub-and-spoke's own approval, not the lead's


def test_it_refuses_to_request_changes_without_a_comment(people: dict[str, ApiClient]) -> None:
    case_id, case = _asked(people, "We will refund the 25 $ fee.")
    approval = _approval(case, LEAD)
    for decision in ("changes_requested", "rejected"):
        response = people["samir"].post(
            f"/api/cases/{case_id}/approvals/{approval['id']}", {"decision": decision, "comment": " "}
        )
        assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "comment")
    assert Approval.objects.get(pk=approval["id"]).state == "pending"


def test_it_sends_the_case_back_to_drafted_and_supersedes_the_other_approvals(
    people: dict[str, ApiClient],
) -> None:
    case_id, case = _asked(people, "We will refund the 25 $ fee.")
    assert case["state"] == "awaiting_approval" and _approval(case, LEAD)["yours"]
    decided = people["samir"].post(
        f"/api/cases/{case_id}/approvals/{_approval(case, LEAD)['id']}",
        {"decision": "changes_requested", "comment": "Say 'fee reversed', no amount."},
    )
    assert decided.status_code == 200, decided.json()
    after = decided.json()
    assert after["state"] == "drafted"
    states = {a["approver"]: a["state"] for a in after["approvals"]}
    assert states == {LEAD: "changes_requested", "central": "superseded"}
    assert any(e["verb"] == "changes requested" for e in after["events"])


def test_it_asks_fresh_approvals_for_a_new_draft_version(people: dict[str, ApiClient]) -> None:
    case_id, case = _asked(people, "We will refund the 25 $ fee.")
    people["samir"].post(
        f"/api/cases/{case_id}/approvals/{_approval(case, LEAD)['id']}", {"decision": "approved"}
    )
    boss = people["boss"]
    boss.post(f"/api/cases/{case_id}/approvals/{_approval(case, 'central')['id']}", {"decision": "approved"})
    redrafted = _drafted(people["sara"], case_id, "We will refund the 30 $ fee.")
    assert redrafted["state"] == "drafted" and _needed(redrafted) == ["central", LEAD]
    blocked = boss.post(f"/api/cases/{case_id}/transition", {"state": "answered"})
    assert blocked.status_code == 409 and LEAD in blocked.json()["error"]
    people["sara"].post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    pending = {
        a["approver"] for a in boss.get(f"/api/cases/{case_id}").json()["approvals"] if a["version"] == 2
    }
    assert pending == {"central", LEAD}


def test_it_refuses_a_decision_from_someone_who_is_not_the_approver(people: dict[str, ApiClient]) -> None:
    case_id, case = _asked(people, "We will refund the 25 $ fee.")
    lead_approval = _approval(case, LEAD)
    for stranger in (people["sara"], people["boss"]):  # a member; the central team is no lead of it
        response = stranger.post(
            f"/api/cases/{case_id}/approvals/{lead_approval['id']}", {"decision": "approved"}
        )
        assert response.status_code == 403 and LEAD in response.json()["error"]
    assert Approval.objects.get(pk=lead_approval["id"]).state == "pending"
    assert not _approval(people["boss"].get(f"/api/cases/{case_id}").json(), LEAD)["yours"]
