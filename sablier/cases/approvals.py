"""Approvals: which people must say yes to a draft before it is published, and their decisions."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from sablier.answer.guardrails.commitments import commitments
from sablier.cases import states
from sablier.cases.alerts import alert_department
from sablier.cases.governance import actor_of, case_facts, current_model
from sablier.cases.models import Approval, Case, Draft
from sablier.cases.queries import first_inbound
from sablier.cases.transitions import do_transition_case, record_event
from sablier.errors import FieldError, IllegalTransition, NotAllowed, NotFound, ValidationFailed
from sablier.events import CaseMoved
from sablier.organisation.actions import current_approval_rules, current_structure
from sablier.organisation.models import Membership
from sablier.routing.approval_rules import SENIOR, DraftFacts, Requirement, required_approvals
from sablier.routing.operating_models import model_approvers


def latest_draft(case: Case) -> Draft | None:
    return case.drafts.select_related("author").order_by("-version").first()


def requirements_for(case: Case, draft: Draft) -> list[Requirement]:
    """The organisation's rules plus what the operating model adds; none at all when solo."""
    model = current_model()
    if model == "solo":
        return []
    author = actor_of(draft.author)
    opening = first_inbound(case.pk)
    facts = DraftFacts(
        intent=case.intent,
        urgency=case.urgency,
        sentiment=case.sentiment,
        department=case.department.slug if case.department else "",
        network=opening.network if opening else "",
        language=case.language,
        author_level=author.level,
        draft_has=commitments(draft.text),
    )
    found = required_approvals(current_approval_rules(), facts)
    structure = current_structure()
    found += [Requirement(a, why) for a, why in model_approvers(model, author, case_facts(case), structure)]
    if facts.department in structure.private:
        found = [_within_private(r, facts.department, structure.central) for r in found]
    unique: dict[str, Requirement] = {}
    for requirement in found:
        unique.setdefault(requirement.approver, requirement)
    return list(unique.values())


def _within_private(requirement: Requirement, owner: str, central: str) -> Requirement:
    """Nobody outside a private department and the central team may see its cases, so an approver
    from elsewhere is replaced by the central team."""
    slug = requirement.approver.partition(":")[0]
    if requirement.approver == SENIOR or slug in (owner, central):
        return requirement
    return Requirement(central, f"{requirement.reason} (asked of the central team: {owner} is private)")


def may_approve(user: User, approver: str, case: Case) -> bool:
    if user.is_superuser:
        return True
    memberships = Membership.objects.filter(user_id=user.pk)
    if approver == SENIOR:
        owner = case.department.slug if case.department else ""
        return (
            memberships.filter(level="senior").filter(department__slug=owner).exists()
            or memberships.filter(level="senior", department__is_central=True).exists()
        )
    slug, _, role = approver.partition(":")
    if role == "lead":
        memberships = memberships.filter(role=Membership.LEAD)
    return memberships.filter(department__slug=slug).exists()


def open_approvals(case: Case, draft: Draft) -> list[Requirement]:
    """What the latest draft still waits for: required approvers who have not approved, and any
    approval asked for it that nobody has decided yet."""
    rows = list(case.approvals.filter(draft_version=draft.version).values_list("approver", "state", "reason"))
    refused = [(a, st) for a, st, _ in rows if st in (Approval.CHANGES, Approval.REJECTED)]
    if refused:
        approver, state = refused[0]
        return [Requirement(approver, f"{state.replace('_', ' ')} on this version: write a new draft")]
    approved = {approver for approver, state, _ in rows if state == Approval.APPROVED}
    missing = [r for r in requirements_for(case, draft) if r.approver not in approved]
    asked = {r.approver for r in missing}
    missing += [
        Requirement(approver, reason)
        for approver, state, reason in rows
        if state == Approval.PENDING and approver not in asked
    ]
    return missing


def check_approved(case: Case) -> None:
    draft = latest_draft(case)
    missing = open_approvals(case, draft) if draft else []
    if missing:
        raise IllegalTransition(
            "the draft waits for approval from " + "; ".join(f"{r.approver} ({r.reason})" for r in missing)
        )


def do_request_approvals(case: Case, by: User) -> list[Approval]:
    """Ask every approver the latest draft needs, or, when no rule needs one, the central team for a
    second pair of eyes; called as the case moves to awaiting_approval."""
    draft = latest_draft(case)
    if draft is None:
        raise IllegalTransition("write a draft first")
    if case.approvals.filter(
        draft_version=draft.version, state__in=(Approval.CHANGES, Approval.REJECTED)
    ).exists():
        raise IllegalTransition(f"version {draft.version} was sent back: write a new draft, then ask again")
    wanted = open_approvals(case, draft) or [
        Requirement(current_structure().central, f"asked by {by.get_username()}; no rule requires it")
    ]
    rows = []
    for requirement in wanted:
        row, created = Approval.objects.get_or_create(
            case=case,
            draft_version=draft.version,
            approver=requirement.approver,
            state=Approval.PENDING,
            defaults={"reason": requirement.reason},
        )
        rows.append(row)
        if created:
            _ask(case, by, requirement, draft.version)
    return rows


def _ask(case: Case, by: User, requirement: Requirement, version: int) -> None:
    slug = requirement.approver.partition(":")[0]
    target = case.department.slug if requirement.approver == SENIOR and case.department else slug
    who, reason = by.get_username(), requirement.reason
    alert_department(
        case,
        target,
        "approval.requested",
        f"{who} asks {requirement.approver} to approve draft v{version}: {reason}",
        f"{who} demande à {requirement.approver} d'approuver la v{version} : {reason}",
        by=by,
    )


def _check_decision(decision: str, comment: str) -> None:
    if decision not in Approval.DECISIONS:
        raise ValidationFailed(
            "unknown decision", [FieldError("decision", f"use one of {', '.join(Approval.DECISIONS)}")]
        )
    if decision != Approval.APPROVED and not comment.strip():
        raise ValidationFailed(
            "say what must change",
            [FieldError("comment", "a comment is needed to request changes or reject")],
        )


def do_decide_approval(
    case: Case, user: User, approval_id: int, decision: str, comment: str = ""
) -> Approval:
    _check_decision(decision, comment)
    approval = case.approvals.filter(pk=approval_id).first()
    if approval is None:
        raise NotFound(f"No approval {approval_id} on case {case.pk}.")
    if not may_approve(user, approval.approver, case):
        raise NotAllowed(f"this approval belongs to {approval.approver}")
    latest = latest_draft(case)
    if latest is None or approval.draft_version != latest.version:
        raise IllegalTransition(
            f"this approval is for version {approval.draft_version}; the draft has changed since"
        )
    with transaction.atomic():
        if not Approval.objects.filter(pk=approval.pk, state=Approval.PENDING).update(
            state=decision, decided_by=user, comment=comment.strip(), decided_at=timezone.now()
        ):
            raise IllegalTransition("this approval was decided meanwhile; reload the case")
        approval.refresh_from_db()
        detail = {
            "approver": approval.approver,
            "version": approval.draft_version,
            "decision": decision,
            "comment": comment,
        }
        record_event(case, user, f"approval {decision}", CaseMoved, detail)
        if decision != Approval.APPROVED:
            case.approvals.filter(draft_version=approval.draft_version, state=Approval.PENDING).update(
                state=Approval.SUPERSEDED
            )
            do_transition_case(case, states.DRAFTED, user, "changes requested", detail)
        if case.department:
            alert_department(
                case,
                case.department.slug,
                "approval.decided",
                f"{approval.approver} {decision.replace('_', ' ')} draft v{approval.draft_version}"
                + (f": {comment}" if comment else ""),
                f"{approval.approver} : {decision.replace('_', ' ')} pour la version {approval.draft_version}"
                + (f" : {comment}" if comment else ""),
                by=user,
            )
    return approval
