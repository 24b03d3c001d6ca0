"""Triage and routing of cases: the waist's decisions written onto the case, with their reasons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from sablier.answer.crisis_freeze import do_freeze_promotions
from sablier.cases import states
from sablier.cases.access import check_central
from sablier.cases.actions import check_text
from sablier.cases.alerts import alert_department
from sablier.cases.assignment import do_auto_assign_case
from sablier.cases.models import Case, RouteCorrection
from sablier.cases.presenter import excerpt
from sablier.cases.transitions import do_transition_case, record_event
from sablier.errors import FieldError, ValidationFailed
from sablier.events import CaseFlagged, CaseRouted, CaseTriaged
from sablier.learning.models import LabelExample
from sablier.limits import MAX_TEXT_LENGTH
from sablier.organisation.actions import current_organisation, current_structure
from sablier.organisation.models import Department, Notice
from sablier.people.holds import do_start_hold, holding_reason
from sablier.per_batch import once_per_batch
from sablier.routing import Decision
from sablier.routing.operating_models import Ownership, own
from sablier.understand.assessment import Assessment
from sablier.understand.reading import Reading

# Below this intent confidence, or when no rule claims the case, a person of the central team decides.
MIN_CONFIDENCE = 0.3


def _explain(reading: Reading, assessment: Assessment, decision: Decision) -> list[str]:
    walked = " → ".join(assessment.path)
    return [
        *reading.reasons,
        f"assessment: {assessment.category} → {assessment.outcome} ({walked})",
        *assessment.reasons,
        *decision.reasons,
    ]


def needs_a_person(reading: Reading, decision: Decision) -> str | None:
    if decision.rule == "default":
        return "no routing rule claims this case"
    if reading.intent.confidence < MIN_CONFIDENCE:
        return (
            f"intent {reading.intent.value} is uncertain ({reading.intent.confidence:.2f} < {MIN_CONFIDENCE})"
        )
    return None


def do_triage_case(
    case_id: int,
    reading: Reading,
    assessment: Assessment,
    decision: Decision,
    now: datetime | None = None,
    *,
    case: Case | None = None,
) -> bool:
    """Claim a new case by conditional update, so two workers never triage it twice. The route
    stage passes the `case` it loaded (locked, with its department, consulted departments and
    clock) and calls this inside its batch's transaction."""
    now = now or timezone.now()
    doubt = needs_a_person(reading, decision)
    fields = {
        "state": states.TRIAGED,
        "language": reading.language.value,
        "sentiment": reading.sentiment.value,
        "intent": reading.intent.value,
        "urgency": reading.urgency.value,
        "assessment": assessment.category,
        "assessment_outcome": assessment.outcome,
        "understanding": {"reading": reading.to_json(), "assessment": assessment.to_json()},
        "reasons": _explain(reading, assessment, decision)
        + ([f"left for the central team: {doubt}"] if doubt else []),
    }
    with transaction.atomic(savepoint=False):
        if not Case.objects.filter(pk=case_id, state=states.NEW).update(**fields):
            return False
        case = _triaged(case, case_id, fields)
        record_event(
            case, None, "triaged", CaseTriaged, {"reading": reading.to_json()}, from_state=states.NEW
        )
        if doubt is None:
            apply_routing_decision(case, decision, None, "routed")
        if assessment.notify_central:
            _flag(case, assessment, now)
        if holding_reason(case) is not None:
            do_start_hold(case, now)
        if reading.intent.value == "crisis":
            do_freeze_promotions(case, now)
    return True


def _triaged(case: Case | None, case_id: int, fields: dict[str, Any]) -> Case:
    """The case as the triage update left it: the caller's copy brought up to date, or read again."""
    if case is None:
        return Case.objects.select_related("department").get(pk=case_id)
    for name, value in fields.items():
        setattr(case, name, value)
    return case


def _flag(case: Case, assessment: Assessment, now: datetime) -> None:
    central = once_per_batch("central", lambda: Department.objects.filter(is_central=True).first())
    if central is not None:
        text = f"{assessment.category} → {assessment.outcome}: watch, do not answer."
        Notice.objects.create(department=central, text=text, case=case, created_at=now)
    record_event(case, None, "flagged", CaseFlagged, {"category": assessment.category})


def decision_json(decision: Decision) -> dict[str, object]:
    return {
        "department": decision.department,
        "consulted": list(decision.consulted),
        "monitor_only": decision.monitor_only,
        "rule": decision.rule,
        "reasons": list(decision.reasons),
    }


def _departments() -> dict[str, Department]:
    return once_per_batch("departments", lambda: {d.slug: d for d in Department.objects.all()})


def _consult(case: Case, slugs: tuple[str, ...]) -> tuple[str, ...]:
    """Consult the departments named (those that exist); the case's consulted departments after."""
    departments = _departments()
    wanted = tuple(sorted({slug for slug in slugs if slug in departments}))
    if set(wanted) != {d.slug for d in case.consulted.all()}:
        case.consulted.set([departments[slug] for slug in wanted])
    return wanted


def apply_routing_decision(case: Case, decision: Decision, actor: User | None, verb: str) -> None:
    """The rules say which department the case is about; the operating model says who owns it."""
    model = current_organisation().operating_model
    crisis = case.intent == "crisis" or case.urgency == "critical"
    ownership = (
        Ownership(decision.department, decision.consulted, ("a person chose the department",))
        if decision.rule == "manual"
        else own(model, decision, crisis, once_per_batch("structure", current_structure))
    )
    previous = case.department.slug if case.department else ""
    department = once_per_batch(
        f"department:{ownership.department}", lambda: Department.objects.get(slug=ownership.department)
    )
    if case.department_id != department.pk:
        case.assignee = None
    case.department = department
    case.understanding = {**case.understanding, "decision": decision_json(decision)}
    case.reasons = [r for r in case.reasons if not r.startswith("operating model ")] + [
        f"operating model {r}" for r in ownership.reasons
    ]
    consulted = _consult(case, ownership.consulted)
    target = states.MONITOR_ONLY if decision.monitor_only else states.ROUTED
    detail = {
        "rule": decision.rule,
        "reasons": [*decision.reasons, *ownership.reasons],
        "from_department": previous,
        "operating_model": model,
    }
    changes = {f: getattr(case, f) for f in ("department", "assignee", "understanding", "reasons")}
    do_transition_case(case, target, actor, verb, detail, CaseRouted, (previous,), consulted, changes)
    if target == states.ROUTED:
        do_auto_assign_case(case)
        alert_department(
            case,
            ownership.department,
            "case.routed",
            f"new {case.intent or 'case'} for {ownership.department} ({case.urgency or 'normal'} urgency)",
            f"nouveau dossier ({case.intent or 'cas'}) pour {ownership.department} "
            f"(urgence {case.urgency or 'normale'})",
            by=actor,
        )


def check_department(slug: str) -> Department:
    target = Department.objects.filter(slug=slug).first()
    if target is None:
        known = ", ".join(Department.objects.values_list("slug", flat=True))
        raise ValidationFailed("unknown department", [FieldError("department", f"use one of {known}")])
    return target


def do_reroute_case(case: Case, actor: User, department: str, reason: str = "") -> Case:
    """A person of the central team sends the case elsewhere; the correction is kept for learning."""
    check_central(actor)
    target = check_department(department)
    note = check_text(reason, "reason") if reason.strip() else ""
    with transaction.atomic():
        if case.state == states.NEW:
            do_transition_case(case, states.TRIAGED, actor, "triaged by hand")
        states.CASE_STATES.check_transition(case.state, states.ROUTED)
        locked = Case.objects.select_for_update().get(pk=case.pk)
        text = excerpt(case, length=MAX_TEXT_LENGTH)
        LabelExample.objects.create(
            label_set="department", text=text, label=target.slug, source="correction", case=case
        )
        RouteCorrection.objects.create(
            case=case,
            by=actor,
            to_department=target.slug,
            reason=note,
            text=text,
            from_department=case.department.slug if case.department else "",
            understanding=locked.understanding,
        )
        locked.reasons = [
            *locked.reasons,
            f"re-routed by {actor.get_username()} → {target.slug}" + (f": {note}" if note else ""),
        ]
        locked.save(update_fields=["reasons"])
        case.reasons = locked.reasons
        consulted = tuple(case.consulted.values_list("slug", flat=True))
        decision = Decision(target.slug, consulted, False, "manual", (f"manual → {target.slug}",))
        apply_routing_decision(case, decision, actor, "rerouted")
    case.refresh_from_db()
    return case
