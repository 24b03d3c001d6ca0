"""Applying the organisation file to the database, and reading the rules back."""

from __future__ import annotations

from django.db import transaction

from sablier.organisation.config import OrganisationConfig
from sablier.organisation.models import Department, Organisation
from sablier.routing import RuleSet, parse_rules


def do_apply_organisation(config: OrganisationConfig) -> Organisation:
    with transaction.atomic():
        for position, dept in enumerate(config.departments):
            Department.objects.update_or_create(
                slug=dept.slug,
                defaults={
                    "name_en": dept.name_en,
                    "name_fr": dept.name_fr,
                    "is_central": dept.is_central,
                    "position": position,
                },
            )
        organisation = Organisation.objects.order_by("pk").first() or Organisation()
        organisation.name = config.name
        organisation.operating_model = config.operating_model
        organisation.routing_rules = config.routing
        organisation.hold_cooloff_days = config.cooloff_days
        organisation.guardrails = config.guardrails
        organisation.save()
    return organisation


def current_organisation() -> Organisation:
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        raise LookupError("no organisation yet: run `sablier migrate` first")
    return organisation


def cooloff_days() -> int:
    """Days a service hold lasts after its case closes."""
    return current_organisation().hold_cooloff_days


def current_rules() -> RuleSet:
    organisation = current_organisation()
    departments = set(Department.objects.values_list("slug", flat=True))
    return parse_rules(organisation.routing_rules, departments)
