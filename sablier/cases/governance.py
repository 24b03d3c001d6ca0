"""The operating model applied to a case: who may draft it, who may publish its answer."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from sablier.cases.models import Case
from sablier.errors import NotAllowed
from sablier.organisation.actions import current_organisation, current_structure
from sablier.organisation.models import Membership
from sablier.routing.operating_models import Actor, CaseFacts, may_draft, may_publish
from sablier.routing.structure import LEVELS


def actor_of(user: User | AnonymousUser) -> Actor:
    if not user.is_authenticated:
        return Actor(frozenset(), False, "trainee")
    rows = list(
        Membership.objects.filter(user_id=user.pk).values_list(
            "department__slug", "department__is_central", "level"
        )
    )
    levels = [LEVELS.index(level) for _, _, level in rows if level in LEVELS]
    return Actor(
        departments=frozenset(slug for slug, _, _ in rows),
        central=bool(getattr(user, "is_superuser", False)) or any(central for _, central, _ in rows),
        level=LEVELS[max(levels)] if levels else "enrolled",
    )


def case_facts(case: Case) -> CaseFacts:
    return CaseFacts(
        owner=case.department.slug if case.department else "",
        intent=case.intent,
        crisis=case.intent == "crisis" or case.urgency == "critical",
    )


def current_model() -> str:
    return current_organisation().operating_model


def check_may_draft(user: User, case: Case) -> None:
    refusal = may_draft(current_model(), actor_of(user), case_facts(case), current_structure())
    if refusal:
        raise NotAllowed(refusal)


def check_may_publish(user: User, case: Case) -> None:
    refusal = may_publish(current_model(), actor_of(user), case_facts(case), current_structure())
    if refusal:
        raise NotAllowed(refusal)
