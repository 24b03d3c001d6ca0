"""Who works on a case: manual assignment, round-robin or least-loaded, claim and release."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Q

from sablier.cases import states
from sablier.cases.alerts import alert_people
from sablier.cases.governance import check_may_draft
from sablier.cases.models import Case
from sablier.cases.transitions import record_event
from sablier.errors import Conflict, FieldError, NotAllowed, ValidationFailed
from sablier.events import CaseMoved
from sablier.organisation.models import Department, Membership
from sablier.per_batch import once_per_batch

OPEN_STATES = (states.ROUTED, states.IN_DEPARTMENT, states.DRAFTED, states.AWAITING_APPROVAL, states.REOPENED)


def _members(department: Department) -> list[User]:
    return list(User.objects.filter(memberships__department=department, is_active=True).order_by("pk"))


def pick_assignee(department: Department) -> User | None:
    """The next person of the department by its assignment mode; None when it assigns by hand."""
    if department.assignment == "manual":
        return None
    members = once_per_batch(f"members:{department.pk}", lambda: _members(department))
    if not members:
        return None
    if department.assignment == "least-loaded":
        loads = dict(
            User.objects.filter(pk__in=[m.pk for m in members])
            .annotate(load=Count("assigned_cases", filter=Q(assigned_cases__state__in=OPEN_STATES)))
            .values_list("pk", "load")
        )
        return min(members, key=lambda m: (loads.get(m.pk, 0), m.pk))
    last = (
        Case.objects.filter(department=department, assignee__in=members)
        .order_by("-id")
        .values_list("assignee_id", flat=True)
        .first()
    )
    after = [m for m in members if last is not None and m.pk > last]
    return (after or members)[0]


def _set_assignee(case: Case, user: User | None, actor: User | None, verb: str) -> Case:
    case.assignee = user
    case.save(update_fields=["assignee", "updated_at"])
    record_event(case, actor, verb, CaseMoved, {"assignee": user.get_username() if user else None})
    if user is not None and user != actor:
        alert_people(case, [user], "case.assigned", "assigned to you", "vous est assigné")
    return case


def do_auto_assign_case(case: Case) -> Case:
    if case.department is None or case.state == states.MONITOR_ONLY:
        return case
    person = pick_assignee(case.department)
    return _set_assignee(case, person, None, f"assigned ({case.department.assignment})") if person else case


def do_claim_case(case: Case, actor: User) -> Case:
    check_may_draft(actor, case)
    if not Case.objects.filter(Q(assignee__isnull=True) | Q(assignee=actor), pk=case.pk).update(
        assignee=actor
    ):
        case.refresh_from_db()
        holder = case.assignee.get_username() if case.assignee else "someone"
        raise Conflict(f"{holder} has this case; ask them to release it", [FieldError("assignee", holder)])
    return _set_assignee(case, actor, actor, "claimed")


def _is_lead_or_central(actor: User, case: Case) -> bool:
    rows = Membership.objects.filter(user_id=actor.pk)
    owner = case.department.slug if case.department else ""
    return (
        actor.is_superuser
        or rows.filter(Q(department__is_central=True) | Q(role="lead", department__slug=owner)).exists()
    )


def do_release_case(case: Case, actor: User) -> Case:
    if case.assignee_id != actor.pk and not _is_lead_or_central(actor, case):
        raise NotAllowed("only the assignee, a lead of the department or the central team may release it")
    return _set_assignee(case, None, actor, "released")


def do_assign_case(case: Case, actor: User, username: str) -> Case:
    if not _is_lead_or_central(actor, case):
        raise NotAllowed("only a lead of the owning department or the central team assigns cases")
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise ValidationFailed("unknown person", [FieldError("user", f"no active user named {username!r}")])
    try:
        check_may_draft(person, case)
    except NotAllowed as exc:
        raise ValidationFailed(
            "this person may not work on the case", [FieldError("user", exc.message)]
        ) from exc
    return _set_assignee(case, person, actor, "assigned")
