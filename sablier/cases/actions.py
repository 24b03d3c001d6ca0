"""do_* actions on cases: each changes state, writes the audit trail and emits after commit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from sablier.bus import emit
from sablier.cases import states
from sablier.cases.models import Case, CaseEvent, Comment, Draft
from sablier.errors import FieldError, ValidationFailed
from sablier.events import CaseChanged

MAX_NOTE_LENGTH = 10_000


def record_event(
    case: Case, actor: User | None, verb: str, detail: dict[str, Any] | None = None, from_state: str = ""
) -> None:
    user = actor if actor is not None and actor.is_authenticated else None
    CaseEvent.objects.create(
        case=case,
        actor=user,
        verb=verb,
        from_state=from_state,
        to_state=case.state if from_state else "",
        detail=detail or {},
    )
    emit(
        CaseChanged(
            case_id=case.pk,
            state=case.state,
            department=case.department.slug if case.department else None,
            verb=verb,
        )
    )


def do_transition_case(
    case: Case,
    target: str,
    actor: User | None,
    verb: str = "transition",
    detail: dict[str, Any] | None = None,
) -> Case:
    states.CASE_STATES.check_transition(case.state, target)
    source = case.state
    with transaction.atomic():
        case.state = target
        case.save(update_fields=["state", "updated_at"])
        record_event(case, actor, verb, detail, from_state=source)
    return case


def check_text(text: str, field: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationFailed(f"{field} is empty", [FieldError(field, "write something")])
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise ValidationFailed(
            f"{field} is too long", [FieldError(field, f"at most {MAX_NOTE_LENGTH} characters")]
        )
    return cleaned


def do_comment_case(case: Case, actor: User, text: str) -> Comment:
    body = check_text(text, "text")
    with transaction.atomic():
        comment = Comment.objects.create(case=case, author=actor, text=body)
        record_event(case, actor, "commented", {"comment_id": comment.pk})
    return comment


def do_take_case(case: Case, actor: User) -> Case:
    """A department member starts working the case."""
    return do_transition_case(case, states.IN_DEPARTMENT, actor, "taken")


def do_draft_reply(case: Case, actor: User, text: str) -> Draft:
    body = check_text(text, "text")
    with transaction.atomic():
        if case.state in (states.ROUTED, states.REOPENED):
            do_take_case(case, actor)
        states.CASE_STATES.check_transition(case.state, states.DRAFTED)
        version = case.drafts.count() + 1
        draft = Draft.objects.create(case=case, author=actor, text=body, version=version)
        do_transition_case(case, states.DRAFTED, actor, "drafted", {"version": version})
    return draft
