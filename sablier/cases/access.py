"""access_case(): the only path to a case; "not yours" looks exactly like "not found"."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from sablier.cases.models import Case, CaseEvent
from sablier.errors import NotAllowed, NotFound
from sablier.organisation.actions import current_organisation, current_structure
from sablier.organisation.models import Membership, Organisation

Viewer = User | AnonymousUser


def person(viewer: Viewer) -> User:
    """The logged-in user behind a request; actions are always done by someone."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        raise NotAllowed("Log in first.")
    return viewer


Memberships = list[tuple[str, bool]]  # each department's slug, and whether it is the central team


def memberships(actor: Viewer) -> Memberships:
    if not actor.is_authenticated:
        return []
    found = Membership.objects.filter(user_id=actor.pk)
    return list(found.values_list("department__slug", "department__is_central"))


def is_central(actor: Viewer, known: Memberships | None = None) -> bool:
    """`known`: the actor's memberships, if already read."""
    if not actor.is_authenticated:
        return False
    if getattr(actor, "is_superuser", False):
        return True
    return any(central for _, central in (memberships(actor) if known is None else known))


def department_slugs(actor: Viewer) -> list[str]:
    return [slug for slug, _ in memberships(actor)]


def _topics_open_to(actor: Viewer, organisation: Organisation) -> Q | None:
    """Under the distributed model, the public cases an enrolled employee's level lets them answer."""
    if organisation.operating_model != "distributed":
        return None
    levels = set(Membership.objects.filter(user_id=int(actor.pk or 0)).values_list("level", flat=True))
    structure = current_structure(organisation)
    topics = [structure.topics_by_level.get(level, frozenset()) for level in levels]
    if any(t is None for t in topics):
        return Q(pk__isnull=False)
    intents = set().union(*[t for t in topics if t is not None])
    return Q(intent__in=intents) if intents else None


def visible_cases(actor: Viewer, known: Memberships | None = None) -> QuerySet[Case]:
    """The central team sees every case, and so does everyone when solo. A department sees the cases
    it owns; public cases it is consulted or mentioned on; and, under the distributed model, public
    cases of its members' topics. HR and legal cases (private departments) are seen by their
    department and the central team only. `known`: the actor's memberships, if already read."""
    if not actor.is_authenticated:
        return Case.objects.none()
    known = memberships(actor) if known is None else known
    if is_central(actor, known):
        return Case.objects.all()
    organisation = current_organisation()
    if organisation.operating_model == "solo":
        return Case.objects.all()
    slugs = [slug for slug, _ in known]
    shared = (
        Q(consulted__slug__in=slugs)
        | Q(thread_mentions__user_id=int(actor.pk or 0))
        | Q(thread_mentions__department__slug__in=slugs)
    )
    topics = _topics_open_to(actor, organisation)
    if topics is not None:
        shared |= topics
    public = Q(department__isnull=True) | Q(department__private=False)
    return Case.objects.filter(Q(department__slug__in=slugs) | (shared & public)).distinct()


def access_case(actor: Viewer, case_id: int, audit: bool = True) -> Case:
    """The case if the actor may see it; every read of a private case is kept in the audit trail
    (the presence heartbeat passes audit=False: it shows who is here, not the case)."""
    case = visible_cases(actor).select_related("department").filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"No case {case_id}.")
    if audit and case.department is not None and case.department.private:
        CaseEvent.objects.create(case=case, actor=actor if isinstance(actor, User) else None, verb="viewed")
    return case


def check_central(actor: Viewer) -> None:
    if not is_central(actor):
        raise NotAllowed("Only the central social media team may do this.")
