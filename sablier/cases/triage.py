"""Triage and routing of cases: the waist's decisions written onto the case, with their reasons."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from sablier.cases import states
from sablier.cases.access import check_central
from sablier.cases.actions import check_text, do_transition_case, record_event
from sablier.cases.models import Case, RouteCorrection
from sablier.errors import FieldError, ValidationFailed
from sablier.organisation.models import Department
from sablier.routing import Decision
from sablier.understand.assessment import Assessment
from sablier.understand.reading import Reading


def _explain(reading: Reading, assessment: Assessment, decision: Decision) -> list[str]:
    walked = " → ".join(assessment.path)
    return [
        *reading.reasons,
        f"assessment: {assessment.category} → {assessment.outcome} ({walked})",
        *assessment.reasons,
        *decision.reasons,
    ]


def do_triage_case(case_id: int, reading: Reading, assessment: Assessment, decision: Decision) -> bool:
    """Claim a new case by conditional update, so two workers never triage it twice."""
    with transaction.atomic():
        claimed = Case.objects.filter(pk=case_id, state=states.NEW).update(
            state=states.TRIAGED,
            language=reading.language.value,
            sentiment=reading.sentiment.value,
            intent=reading.intent.value,
            urgency=reading.urgency.value,
            assessment=assessment.category,
            assessment_outcome=assessment.outcome,
            understanding={"reading": reading.to_json(), "assessment": assessment.to_json()},
            reasons=_explain(reading, assessment, decision),
        )
        if not claimed:
            return False
        case = Case.objects.get(pk=case_id)
        record_event(case, None, "triaged", {"reading": reading.to_json()}, from_state=states.NEW)
        _apply_decision(case, decision, None, "routed")
    return True


def _apply_decision(case: Case, decision: Decision, actor: User | None, verb: str) -> None:
    case.department = Department.objects.get(slug=decision.department)
    case.consulted = list(decision.consulted)
    case.save(update_fields=["department", "consulted", "updated_at"])
    target = states.MONITOR_ONLY if decision.monitor_only else states.ROUTED
    do_transition_case(case, target, actor, verb, {"rule": decision.rule, "reasons": list(decision.reasons)})


def do_reroute_case(case: Case, actor: User, department: str, reason: str = "") -> Case:
    """A person of the central team sends the case elsewhere; the correction is kept for learning."""
    check_central(actor)
    target = Department.objects.filter(slug=department).first()
    if target is None:
        known = ", ".join(Department.objects.values_list("slug", flat=True))
        raise ValidationFailed("unknown department", [FieldError("department", f"use one of {known}")])
    note = check_text(reason, "reason") if reason.strip() else ""
    states.CASE_STATES.check_transition(case.state, states.ROUTED)
    with transaction.atomic():
        RouteCorrection.objects.create(
            case=case,
            by=actor,
            to_department=target.slug,
            reason=note,
            from_department=case.department.slug if case.department else "",
            text=case.mentions.values_list("text", flat=True).first() or "",
            understanding=case.understanding,
        )
        case.reasons = [
            *case.reasons,
            f"re-routed by {actor.get_username()} → {target.slug}" + (f": {note}" if note else ""),
        ]
        case.save(update_fields=["reasons"])
        decision = Decision(target.slug, tuple(case.consulted), False, "manual", (f"manual → {target.slug}",))
        _apply_decision(case, decision, actor, "rerouted")
    return case
