"""Moving a case along its state graph: the audit trail and the event after commit, in one place."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from sablier.bus import emit
from sablier.cases import states
from sablier.cases.models import Case, CaseEvent
from sablier.errors import IllegalTransition
from sablier.events import CaseMoved, CaseUpdate
from sablier.organisation.actions import cooloff_days
from sablier.people.holds import do_resume_hold, do_schedule_hold_release
from sablier.sla import clocks

NEEDS_A_DRAFT = (states.DRAFTED, states.AWAITING_APPROVAL, states.ANSWERED)


def concerned_departments(case: Case, also: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The departments whose screens show the case; a private case's (HR, legal) only its owner's."""
    owner = (case.department.slug,) if case.department else ()
    if case.department is not None and case.department.private:
        return owner
    consulted = tuple(case.consulted.values_list("slug", flat=True))
    return tuple(sorted({*owner, *consulted, *(d for d in also if d)}))


def record_event(
    case: Case,
    actor: User | None,
    verb: str,
    event: type[CaseUpdate],
    detail: dict[str, Any] | None = None,
    from_state: str = "",
    also: tuple[str, ...] = (),
) -> None:
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        verb=verb,
        from_state=from_state,
        to_state=case.state if from_state else "",
        detail=detail or {},
    )
    emit(event(case_id=case.pk, state=case.state, departments=concerned_departments(case, also)))


def check_entry(case: Case, target: str, verb: str) -> None:
    states.CASE_STATES.check_transition(case.state, target)
    if target == case.state and verb == "transition":
        raise IllegalTransition(f"The case is already {target}.")
    if target in NEEDS_A_DRAFT and not case.drafts.exists():
        raise IllegalTransition(f"A case goes to {target} with a reply draft: write one first.")


def _lifecycle(case: Case, target: str) -> None:
    """What other parts of the hub must know when a case opens or closes."""
    now = timezone.now()
    if target == states.CLOSED:
        do_schedule_hold_release(case, now, timedelta(days=cooloff_days()))
        clocks.do_mark_resolved(case, now)
    elif target == states.REOPENED:
        do_resume_hold(case, now)
        clocks.do_resume_clock(case, now)
    elif target == states.ROUTED:
        clocks.do_start_clock(case, now)  # also on hand-offs and re-routes: due times follow the owner
    elif target == states.ANSWERED:
        clocks.do_mark_first_response(case, now)
    elif target == states.MONITOR_ONLY:
        clocks.do_stop_clock(case)


def do_transition_case(
    case: Case,
    target: str,
    actor: User | None,
    verb: str = "transition",
    detail: dict[str, Any] | None = None,
    event: type[CaseUpdate] = CaseMoved,
    also: tuple[str, ...] = (),
) -> Case:
    """Move a case along its graph; a move made meanwhile by someone else is refused, not overwritten."""
    check_entry(case, target, verb)
    source = case.state
    with transaction.atomic():
        if not Case.objects.filter(pk=case.pk, state=source).update(state=target, updated_at=timezone.now()):
            raise IllegalTransition("The case changed meanwhile; reload it and try again.")
        case.state = target
        _lifecycle(case, target)
        record_event(case, actor, verb, event, detail, from_state=source, also=also)
    return case
