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
from sablier.per_batch import insert_later
from sablier.sla import clocks

NEEDS_A_DRAFT = (states.DRAFTED, states.AWAITING_APPROVAL, states.ANSWERED)


def concerned_departments(
    case: Case, also: tuple[str, ...] = (), consulted: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """The departments whose screens show the case; a private case's (HR, legal) only its owner's.
    `consulted`: the case's consulted departments when the caller knows them (else they are read,
    from the case's prefetched ones when it has them)."""
    owner = (case.department.slug,) if case.department else ()
    if case.department is not None and case.department.private:
        return owner
    if consulted is None:
        consulted = tuple(d.slug for d in case.consulted.all())
    return tuple(sorted({*owner, *consulted, *(d for d in also if d)}))


def record_event(
    case: Case,
    actor: User | None,
    verb: str,
    event: type[CaseUpdate],
    detail: dict[str, Any] | None = None,
    from_state: str = "",
    also: tuple[str, ...] = (),
    consulted: tuple[str, ...] | None = None,
) -> None:
    row = CaseEvent(
        case=case,
        actor=actor,
        verb=verb,
        from_state=from_state,
        to_state=case.state if from_state else "",
        detail=detail or {},
    )
    insert_later(row)
    emit(event(case_id=case.pk, state=case.state, departments=concerned_departments(case, also, consulted)))


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
    consulted: tuple[str, ...] | None = None,
    changes: dict[str, Any] | None = None,
) -> Case:
    """Move a case along its graph; a move made meanwhile by someone else is refused, not overwritten.
    `changes`: other fields of the case (already set on it), written in the same statement.
    No savepoint of its own: a failure inside rolls back the caller's transaction."""
    check_entry(case, target, verb)
    source = case.state
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        moved = Case.objects.filter(pk=case.pk, state=source).update(
            **(changes or {}), state=target, updated_at=now
        )
        if moved:
            case.state, case.updated_at = target, now
            _lifecycle(case, target)
            record_event(case, actor, verb, event, detail, source, also, consulted)
    if not moved:
        raise IllegalTransition("The case changed meanwhile; reload it and try again.")
    return case
