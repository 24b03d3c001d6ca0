"""do_* actions on cases: each changes state, writes the audit trail and emits after commit."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from sablier.cases import states
from sablier.cases.approvals import check_approved, do_request_approvals, latest_draft
from sablier.cases.governance import check_may_draft, check_may_publish
from sablier.cases.models import Approval, Case, Comment, Draft
from sablier.cases.reply_check import check_draft_publishable
from sablier.cases.thread_mentions import do_record_thread_mentions
from sablier.cases.transitions import do_transition_case, record_event
from sablier.connectors.publishing import do_queue_publication
from sablier.errors import Conflict, FieldError, IllegalTransition, ValidationFailed
from sablier.events import CaseCommented, CaseDrafted
from sablier.limits import MAX_TEXT_LENGTH


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
        _, left_out = do_record_thread_mentions(case, comment)
        detail: dict[str, object] = {"comment_id": comment.pk}
        if left_out:
            detail["not_told"] = left_out  # the case is private: they may not see it
        record_event(case, actor, "commented", CaseCommented, detail)
    return comment


def check_no_collision(case: Case, actor: User, based_on: int | None) -> None:
    """A draft written over someone else's newer version warns first (409), unless forced."""
    latest = latest_draft(case)
    if latest is None or latest.author_id == actor.pk or based_on == latest.version:
        return
    seen = "you had not seen it" if based_on is None else f"you started from version {based_on}"
    raise Conflict(
        f"{latest.author.get_username()} wrote version {latest.version} meanwhile ({seen}): "
        "read it, then send again with based_on set to it, or with force to write over it",
        [
            FieldError(
                "based_on", f"the latest version is {latest.version}, by {latest.author.get_username()}"
            )
        ],
    )


def do_draft_reply(
    case: Case, actor: User, text: str, based_on: int | None = None, force: bool = False
) -> Draft:
    check_may_draft(actor, case)
    body = check_text(text, "text")
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()  # one writer of a version at a time
        if not force:
            check_no_collision(case, actor, based_on)
        if case.state in (states.ROUTED, states.REOPENED):
            do_transition_case(case, states.IN_DEPARTMENT, actor, "taken")
        if case.state == states.AWAITING_APPROVAL:
            do_transition_case(case, states.DRAFTED, actor, "redrafted")
        states.CASE_STATES.check_transition(case.state, states.DRAFTED)
        version = (case.drafts.aggregate(last=Max("version"))["last"] or 0) + 1
        draft = Draft.objects.create(case=case, author=actor, text=body, version=version)
        case.approvals.filter(draft_version__lt=version, state=Approval.PENDING).update(
            state=Approval.SUPERSEDED
        )
        record_event(case, actor, "drafted", CaseDrafted, {"version": version})
        if case.state != states.DRAFTED:
            do_transition_case(case, states.DRAFTED, actor, "drafted", {"version": version})
    return draft


def do_move_case(case: Case, actor: User, target: str, note: str = "") -> Case:
    """A person moves the case (take, ask approval, answer, close, reopen…) as the model allows.
    The case row is locked first, so the draft checked (guardrails, approvals) is the draft sent."""
    if target == states.ANSWERED:
        check_may_publish(actor, case)
    else:
        check_may_draft(actor, case)
    detail = {"note": note} if note else None
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        check_draft_publishable(case, target)
        if target == states.AWAITING_APPROVAL:
            states.CASE_STATES.check_transition(case.state, target)
            do_request_approvals(case, actor)
        if target == states.ANSWERED:
            check_approved(case)
            draft = latest_draft(case)
            if draft is not None:
                check_not_published(case, draft)
                do_queue_publication(case, draft)
        return do_transition_case(case, target, actor, "transition", detail)


def check_not_published(case: Case, draft: Draft) -> None:
    if case.publications.filter(draft_version=draft.version).exists():
        raise IllegalTransition(
            f"version {draft.version} was published already: write a new draft to answer again"
        )
