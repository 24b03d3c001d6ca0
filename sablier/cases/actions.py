"""do_* actions on cases: each changes state, writes the audit trail and emits after commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from sablier.bus import emit
from sablier.cases import states
from sablier.cases.access import check_owner
from sablier.cases.models import Case, CaseEvent, Comment, Draft
from sablier.cases.reply_check import check_draft_publishable
from sablier.errors import FieldError, IllegalTransition, ValidationFailed
from sablier.events import CaseCommented, CaseDrafted, CaseMoved, CaseUpdate
from sablier.limits import MAX_TEXT_LENGTH
from sablier.organisation.actions import cooloff_days
from sablier.people.holds import do_resume_hold, do_schedule_hold_release

NEEDS_A_DRAFT = (states.DRAFTED, states.AWAITING_APPROVAL, states.ANSWERED)


def concerned_departments(case: Case, also: tuple[str, ...] = ()) -> tuple[str, ...]:
    owner = (case.department.slug,) if case.department else ()
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
    elif target == states.REOPENED:
        do_resume_hold(case, now)


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


def check_text(text: str, field: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationFailed(f"{field} is empty", [FieldError(field, "write something")])
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise ValidationFailed(
            f"{field} is too long", [FieldError(field, f"at most {MAX_TEXT_LENGTH} characters")]
        )
    return cleaned


def do_comment_case(case: Case, actor: User, text: str) -> Comment:
    body = check_text(text, "text")
    with transaction.atomic():
        comment = Comment.objects.create(case=case, author=actor, text=body)
        record_event(case, actor, "commented", CaseCommented, {"comment_id": comment.pk})
    return comment


def do_draft_reply(case: Case, actor: User, text: str) -> Draft:
    check_owner(actor, case)
    body = check_text(text, "text")
    with transaction.atomic():
        if case.state in (states.ROUTED, states.REOPENED):
            do_transition_case(case, states.IN_DEPARTMENT, actor, "taken")
        states.CASE_STATES.check_transition(case.state, states.DRAFTED)
        version = case.drafts.count() + 1
        draft = Draft.objects.create(case=case, author=actor, text=body, version=version)
        record_event(case, actor, "drafted", CaseDrafted, {"version": version})
        if case.state != states.DRAFTED:
            do_transition_case(case, states.DRAFTED, actor, "drafted", {"version": version})
    return draft


def do_move_case(case: Case, actor: User, target: str, note: str = "") -> Case:
    """A person moves the case (take, ask approval, answer, close, reopen…)."""
    check_owner(actor, case)
    check_draft_publishable(case, target)
    return do_transition_case(case, target, actor, "transition", {"note": note} if note else None)
