"""/api/cases/{id}/…: assignment, presence, hand-offs and approvals; /api/organisation: the model."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from sablier.api.collaboration_schemas import (
    AssignIn,
    DecisionIn,
    HandOffIn,
    ModelIn,
    ModelSwitched,
    PresenceIn,
    PresenceOut,
    ReasonIn,
)
from sablier.api.schemas import CaseDetail
from sablier.cases.access import access_case, person
from sablier.cases.approvals import do_decide_approval
from sablier.cases.assignment import do_assign_case, do_claim_case, do_release_case
from sablier.cases.handoff import do_hand_back_case, do_hand_off_case
from sablier.cases.model_switch import do_switch_operating_model
from sablier.cases.presence import do_leave_case, do_mark_viewing
from sablier.cases.presenter import case_detail

router = Router(tags=["collaboration"])
organisation_router = Router(tags=["organisation"])


@router.post("/{case_id}/claim", response=CaseDetail)
def claim_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    actor = person(request.user)
    return case_detail(do_claim_case(access_case(actor, case_id), actor), actor)


@router.post("/{case_id}/release", response=CaseDetail)
def release_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    actor = person(request.user)
    return case_detail(do_release_case(access_case(actor, case_id), actor), actor)


@router.post("/{case_id}/assign", response=CaseDetail)
def assign_case(request: HttpRequest, case_id: int, payload: AssignIn) -> dict[str, Any]:
    actor = person(request.user)
    return case_detail(do_assign_case(access_case(actor, case_id), actor, payload.user), actor)


@router.post("/{case_id}/presence", response=PresenceOut)
def mark_presence(request: HttpRequest, case_id: int, payload: PresenceIn) -> dict[str, Any]:
    """A heartbeat while the case is open (every ~10 s); returns who else is on it."""
    actor = person(request.user)
    return {"others": do_mark_viewing(access_case(actor, case_id, audit=False), actor, payload.drafting)}


@router.delete("/{case_id}/presence", response={204: None})
def leave_case(request: HttpRequest, case_id: int) -> Status[None]:
    actor = person(request.user)
    do_leave_case(access_case(actor, case_id, audit=False), actor)
    return Status(204, None)


@router.post("/{case_id}/handoff", response=CaseDetail)
def hand_off_case(request: HttpRequest, case_id: int, payload: HandOffIn) -> dict[str, Any]:
    actor = person(request.user)
    case = do_hand_off_case(access_case(actor, case_id), actor, payload.department, payload.reason)
    return case_detail(case, actor)


@router.post("/{case_id}/handback", response=CaseDetail)
def hand_back_case(request: HttpRequest, case_id: int, payload: ReasonIn) -> dict[str, Any]:
    actor = person(request.user)
    return case_detail(do_hand_back_case(access_case(actor, case_id), actor, payload.reason), actor)


@router.post("/{case_id}/approvals/{approval_id}", response=CaseDetail)
def decide_approval(
    request: HttpRequest, case_id: int, approval_id: int, payload: DecisionIn
) -> dict[str, Any]:
    actor = person(request.user)
    case = access_case(actor, case_id)
    do_decide_approval(case, actor, approval_id, payload.decision, payload.comment)
    case.refresh_from_db()
    return case_detail(case, actor)


@organisation_router.put("/operating-model", response=ModelSwitched)
def switch_model(request: HttpRequest, payload: ModelIn) -> dict[str, Any]:
    moved = do_switch_operating_model(person(request.user), payload.operating_model)
    return {"operating_model": payload.operating_model, "re_owned": moved}
