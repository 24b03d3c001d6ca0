"""Hand-offs between departments, with a reason, and hand-backs to the central team."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from sablier.cases import states
from sablier.cases.alerts import alert_department
from sablier.cases.assignment import do_auto_assign_case
from sablier.cases.governance import check_may_draft
from sablier.cases.models import Case
from sablier.cases.transitions import do_transition_case
from sablier.cases.triage import decision_json
from sablier.errors import FieldError, ValidationFailed
from sablier.events import CaseRouted
from sablier.organisation.models import Department
from sablier.routing import Decision

HANDS_OFF_FROM = (states.ROUTED, states.IN_DEPARTMENT, states.DRAFTED, states.REOPENED, states.MONITOR_ONLY)


def _check_reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ValidationFailed(
            "say why", [FieldError("reason", "a hand-off needs a reason for the next team")]
        )
    return cleaned[:2000]


def _move_owner(case: Case, actor: User, target: Department, verb: str, reason: str) -> Case:
    if case.state not in HANDS_OFF_FROM:
        raise ValidationFailed(f"a case {case.state} cannot change hands", [FieldError("state", case.state)])
    previous = case.department
    with transaction.atomic():
        case.department = target
        case.assignee = None
        # A person chose the owner: a later switch of operating model must not undo it.
        manual = Decision(target.slug, (), False, "manual", (f"{verb} by {actor.get_username()}: {reason}",))
        case.understanding = {**case.understanding, "decision": decision_json(manual)}
        case.save(update_fields=["department", "assignee", "understanding", "updated_at"])
        if previous is not None and not previous.private and not target.private:
            case.consulted.add(previous)
        case.consulted.remove(target)
        detail = {
            "from_department": previous.slug if previous else "",
            "to_department": target.slug,
            "reason": reason,
        }
        do_transition_case(
            case, states.ROUTED, actor, verb, detail, event=CaseRouted, also=(detail["from_department"],)
        )
        do_auto_assign_case(case)
        alert_department(
            case,
            target.slug,
            "handoff",
            f"{actor.get_username()} hands it to {target.slug}: {reason}",
            f"{actor.get_username()} le confie à {target.slug} : {reason}",
            by=actor,
        )
    return case


def do_hand_off_case(case: Case, actor: User, department: str, reason: str) -> Case:
    check_may_draft(actor, case)
    why = _check_reason(reason)
    target = Department.objects.filter(slug=department).first()
    if target is None:
        known = ", ".join(Department.objects.values_list("slug", flat=True))
        raise ValidationFailed("unknown department", [FieldError("department", f"use one of {known}")])
    if case.department_id == target.pk:
        raise ValidationFailed(
            "already there", [FieldError("department", f"{target.slug} owns the case already")]
        )
    return _move_owner(case, actor, target, "handed off", why)


def do_hand_back_case(case: Case, actor: User, reason: str) -> Case:
    check_may_draft(actor, case)
    central = Department.objects.get(is_central=True)
    if case.department_id == central.pk:
        raise ValidationFailed(
            "already central", [FieldError("department", "the central team owns the case")]
        )
    return _move_owner(case, actor, central, "handed back", _check_reason(reason))
