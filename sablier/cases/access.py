"""access_case(): the only path to a case; "not yours" looks exactly like "not found"."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from sablier.cases.models import Case
from sablier.errors import NotAllowed, NotFound
from sablier.organisation.models import Membership

Viewer = User | AnonymousUser


def person(viewer: Viewer) -> User:
    """The logged-in user behind a request; actions are always done by someone."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        raise NotAllowed("Log in first.")
    return viewer


def is_central(actor: Viewer) -> bool:
    if not actor.is_authenticated:
        return False
    if getattr(actor, "is_superuser", False):
        return True
    return Membership.objects.filter(user_id=actor.pk, department__is_central=True).exists()


def department_slugs(actor: Viewer) -> list[str]:
    if not actor.is_authenticated:
        return []
    return list(Membership.objects.filter(user_id=actor.pk).values_list("department__slug", flat=True))


def visible_cases(actor: Viewer) -> QuerySet[Case]:
    """The central team sees every case; a department, the cases it owns or is consulted on."""
    if is_central(actor):
        return Case.objects.all()
    slugs = department_slugs(actor)
    return Case.objects.filter(Q(department__slug__in=slugs) | Q(consulted__slug__in=slugs)).distinct()


def access_case(actor: Viewer, case_id: int) -> Case:
    case = visible_cases(actor).select_related("department").filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"No case {case_id}.")
    return case


def check_central(actor: Viewer) -> None:
    if not is_central(actor):
        raise NotAllowed("Only the central social media team may do this.")


def check_owner(actor: Viewer, case: Case) -> None:
    """Drafting and moving a case belong to its department (and the central team); consulted
    departments take part in the internal thread only."""
    if is_central(actor):
        return
    if case.department is None or case.department.slug not in department_slugs(actor):
        raise NotAllowed("Only the owning department may do this; consulted departments may comment.")
