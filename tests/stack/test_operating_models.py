"""The six operating models, one inbound traffic: who owns, who drafts, who approves, who publishes."""

from __future__ import annotations

from typing import Any

import pytest

from sablier.organisation.models import Membership
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, approve_pending, client_of, mention_payload

pytestmark = pytest.mark.django_db

COMPLAINT = "My mortgage renewal letter came late and the rate is wrong. Still waiting for a call back."
PRESS = (
    "Bonjour, je suis journaliste au Devoir et je prépare un article sur les frais bancaires. "
    "Qui peut répondre?"
)

# model: (owner of the complaint, customer service may draft, approvers of its draft, it may publish)
COMPLAINT_PATH = {
    "centralized": ("central", False, None, False),
    "customer-service-led": ("customer-service", True, [], True),
    "hub-and-spoke": ("customer-service", True, ["central"], False),
    "multiple-hub-and-spoke": ("customer-service", True, ["central"], False),
    "distributed": ("customer-service", True, [], True),
    "solo": ("central", True, [], True),
}
PRESS_OWNER = {
    "centralized": "central",
    "customer-service-led": "customer-service",
    "hub-and-spoke": "pr",
    "multiple-hub-and-spoke": "pr",
    "distributed": "pr",
    "solo": "central",
}


def _case(api: ApiClient, text: str) -> dict[str, Any]:
    case_id = api.post("/api/mentions", mention_payload(text=text)).json()["case_id"]
    run_single_cycle()
    case: dict[str, Any] = api.get(f"/api/cases/{case_id}").json()
    return case


def _switch(api: ApiClient, model: str) -> None:
    response = api.put("/api/organisation/operating-model", {"operating_model": model})
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("model", list(COMPLAINT_PATH))
def test_it_routes_drafts_and_publishes_a_complaint_as_the_model_says(api: ApiClient, model: str) -> None:
    service = client_of("samir", ["customer-service"], lead=True)
    _switch(api, model)
    owner, drafts, approvers, publishes = COMPLAINT_PATH[model]
    case = _case(api, COMPLAINT)
    assert (case["department"], case["operating_model"]["slug"]) == (owner, model)
    assert any(model in reason for reason in case["why_here"])

    drafted = service.post(
        f"/api/cases/{case['id']}/drafts", {"text": "Sorry, an advisor will call you today."}
    )
    assert drafted.status_code == (201 if drafts else 403)
    if not drafts:
        assert "only the central team drafts" in drafted.json()["error"]
        return
    seen = service.get(f"/api/cases/{case['id']}").json()
    assert [r["approver"] for r in seen["needs_approval"]] == approvers
    assert seen["you_may"]["publish"] is publishes
    answered = service.post(f"/api/cases/{case['id']}/transition", {"state": "answered"})
    assert answered.status_code == (200 if publishes else 403)
    if not publishes:
        assert api.post(f"/api/cases/{case['id']}/transition", {"state": "answered"}).status_code == 409
        service.post(f"/api/cases/{case['id']}/transition", {"state": "awaiting_approval"})
        approve_pending(api, case["id"])
        assert api.post(f"/api/cases/{case['id']}/transition", {"state": "answered"}).status_code == 200


@pytest.mark.parametrize("model", list(PRESS_OWNER))
def test_it_asks_pr_to_approve_a_press_answer_except_when_solo(api: ApiClient, model: str) -> None:
    pr = client_of("ines", ["pr"], lead=True)
    _switch(api, model)
    case = _case(api, PRESS)
    assert (case["intent"], case["department"]) == ("press", PRESS_OWNER[model])
    api.post(f"/api/cases/{case['id']}/drafts", {"text": "Merci, notre porte-parole vous écrit aujourd'hui."})
    needed = [r["approver"] for r in api.get(f"/api/cases/{case['id']}").json()["needs_approval"]]
    if model == "solo":
        assert needed == []
        assert api.post(f"/api/cases/{case['id']}/transition", {"state": "answered"}).status_code == 200
        return
    assert "pr" in needed
    blocked = api.post(f"/api/cases/{case['id']}/transition", {"state": "answered"})
    assert blocked.status_code == 409 and "pr" in blocked.json()["error"]
    api.post(f"/api/cases/{case['id']}/transition", {"state": "awaiting_approval"})
    approve_pending(pr, case["id"])
    assert api.post(f"/api/cases/{case['id']}/transition", {"state": "answered"}).status_code == 200


def test_it_lets_a_trainee_answer_their_topics_only_under_the_distributed_model(api: ApiClient) -> None:
    trainee = client_of("noah", ["marketing"])
    Membership.objects.filter(user__username="noah").update(level="trainee")
    question = "Hi, does the Horizon savings account have monthly fees? Thanks"
    case = _case(api, question)
    assert case["department"] == "customer-service"
    assert trainee.get(f"/api/cases/{case['id']}").status_code == 404  # hub-and-spoke: not theirs
    _switch(api, "distributed")
    assert trainee.get(f"/api/cases/{case['id']}").status_code == 200
    assert (
        trainee.post(f"/api/cases/{case['id']}/drafts", {"text": "No monthly fees on it."}).status_code == 201
    )
    assert [r["approver"] for r in trainee.get(f"/api/cases/{case['id']}").json()["needs_approval"]] == [
        "senior"
    ]
    complaint = _case(api, COMPLAINT)
    assert trainee.get(f"/api/cases/{complaint['id']}").status_code == 404  # not a trainee's topic


def test_it_re_owns_waiting_cases_when_the_model_changes(api: ApiClient) -> None:
    case = _case(api, COMPLAINT)
    assert case["department"] == "customer-service"
    _switch(api, "centralized")
    moved = api.get(f"/api/cases/{case['id']}").json()
    assert moved["department"] == "central" and "customer-service" in moved["consulted"]
    _switch(api, "hub-and-spoke")
    assert api.get(f"/api/cases/{case['id']}").json()["department"] == "customer-service"


def test_it_refuses_an_unknown_model_naming_the_field(api: ApiClient) -> None:
    response = api.put("/api/organisation/operating-model", {"operating_model": "anarchy"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "operating_model"


def test_it_lets_only_the_central_team_switch_the_model(api: ApiClient) -> None:
    service = client_of("samir", ["customer-service"], lead=True)
    assert service.put("/api/organisation/operating-model", {"operating_model": "solo"}).status_code == 403
