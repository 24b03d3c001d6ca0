"""Edges found in review: hand-offs survive a switch of model, private cases ask only who may see
them, a refused or already published draft does not go out, decisions apply to the current draft."""

from __future__ import annotations

import pytest

from sablier.cases.models import Case
from tests.conftest import ApiClient, approve_pending, client_of, triaged_case

pytestmark = pytest.mark.django_db
JOB = "Bonjour, j'ai vu une offre d'emploi de conseiller, comment postuler?"


def _draft(api: ApiClient, case_id: int, text: str) -> None:
    assert api.post(f"/api/cases/{case_id}/drafts", {"text": text, "force": True}).status_code == 201


def test_it_keeps_a_hand_off_when_the_model_changes(api: ApiClient) -> None:
    case_id = triaged_case(api)
    moved = api.post(
        f"/api/cases/{case_id}/handoff", {"department": "hr", "reason": "an employee, not a client"}
    )
    assert moved.json()["department"] == "hr"
    api.put("/api/organisation/operating-model", {"operating_model": "customer-service-led"})
    assert Case.objects.get(pk=case_id).department.slug == "hr"  # type: ignore[union-attr]


def test_it_asks_the_central_team_instead_of_a_department_that_cannot_see_a_private_case(
    api: ApiClient,
) -> None:
    julie = client_of("julie", ["hr"], lead=True)
    case_id = triaged_case(api, JOB)
    _draft(julie, case_id, "Nous vous rembourserons 25 $ de frais de déplacement pour l'entrevue.")
    needed = julie.get(f"/api/cases/{case_id}").json()["needs_approval"]
    assert [r["approver"] for r in needed] == ["central"] and "hr is private" in needed[0]["reason"]


def test_it_does_not_publish_a_draft_sent_back(api: ApiClient) -> None:
    case_id = triaged_case(api)
    _draft(api, case_id, "We are sorry, an advisor calls you today.")
    api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    pending = [a for a in api.get(f"/api/cases/{case_id}").json()["approvals"] if a["state"] == "pending"]
    api.post(f"/api/cases/{case_id}/approvals/{pending[0]['id']}", {"decision": "rejected", "comment": "no"})
    blocked = api.post(f"/api/cases/{case_id}/transition", {"state": "answered"})
    assert blocked.status_code == 409 and "write a new draft" in blocked.json()["error"]


def test_it_refuses_a_decision_on_an_older_version(api: ApiClient) -> None:
    case_id = triaged_case(api)
    _draft(api, case_id, "We are sorry, an advisor calls you today.")
    api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    old = api.get(f"/api/cases/{case_id}").json()["approvals"][0]
    _draft(api, case_id, "We are sorry: an advisor calls you this afternoon.")
    refused = api.post(f"/api/cases/{case_id}/approvals/{old['id']}", {"decision": "approved"})
    assert refused.status_code == 409
    states = {a["state"] for a in api.get(f"/api/cases/{case_id}").json()["approvals"]}
    assert states == {"superseded"}


def test_it_does_not_answer_twice_with_the_same_draft(api: ApiClient) -> None:
    case_id = triaged_case(api)
    _draft(api, case_id, "We are sorry, an advisor calls you today.")
    api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    approve_pending(api, case_id)
    for state in ("answered", "reopened", "in_department"):
        assert api.post(f"/api/cases/{case_id}/transition", {"state": state}).status_code == 200
    again = api.post(f"/api/cases/{case_id}/transition", {"state": "answered"})
    assert again.status_code == 409 and "published already" in again.json()["error"]
