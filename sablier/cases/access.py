"""access_case(): the only path to a case; "not yours" looks exactly like "not found"."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

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
    if is_central(actor):
        return Case.objects.all()
    return Case.objects.filter(department__slug__in=department_slugs(actor))


def access_case(actor: Viewer, case_id: int) -> Case:
    case = visible_cases(actor).select_related("department").filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"No case {case_id}.")
    return case


def check_central(actor: Viewer) -> None:
    if not is_central(actor):
        raise NotAllowed("Only the central social media team may do this.")
