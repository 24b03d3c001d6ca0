"""Applying the organisation file to the database: departments, people, channels, canned answers.

It sits apart from organisation.actions, which the case code reads, because it reaches into the
answer and notify parts that themselves read cases."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from sablier.answer.canned_store import do_apply_canned_answers
from sablier.crisis.settings_store import do_apply_crisis_config
from sablier.notify.channels import do_apply_department_channels
from sablier.organisation.config import OrganisationConfig
from sablier.organisation.models import Department, Membership, Organisation
from sablier.organisation.people_config import PersonConfig
from sablier.reports.store import do_apply_objectives
from sablier.sla.policy import do_apply_sla_config


def _apply_people(people: tuple[PersonConfig, ...]) -> None:
    """Declared people get their memberships, roles and levels; new ones log in once given a password."""
    users = get_user_model()
    for person in people:
        user = users.objects.filter(username=person.name).first()
        if user is None:
            user = users.objects.create_user(username=person.name, password=None)
        for slug in person.departments:
            Membership.objects.update_or_create(
                user=user,
                department=Department.objects.get(slug=slug),
                defaults={"role": person.role, "level": person.level},
            )


def do_apply_organisation(config: OrganisationConfig) -> Organisation:
    with transaction.atomic():
        for position, dept in enumerate(config.departments):
            Department.objects.update_or_create(
                slug=dept.slug,
                defaults={
                    "name_en": dept.name_en,
                    "name_fr": dept.name_fr,
                    "is_central": dept.is_central,
                    "private": dept.private,
                    "assignment": dept.assignment,
                    "position": position,
                },
            )
        organisation = Organisation.objects.order_by("pk").first() or Organisation()
        organisation.name = config.name
        organisation.operating_model = config.operating_model
        organisation.routing_rules = config.routing
        organisation.hold_cooloff_days = config.cooloff_days
        organisation.guardrails = config.guardrails
        organisation.structure = config.structure.to_json() if config.structure else {}
        organisation.approval_rules = config.approvals
        organisation.save()
        _apply_people(config.people)
        for dept in config.departments:
            do_apply_department_channels(Department.objects.get(slug=dept.slug), dept.notify)
        do_apply_canned_answers(config.canned_answers)
        do_apply_sla_config(config.slas, config.calendars, {d.slug: d.calendar for d in config.departments})
        do_apply_objectives(config.objectives)
        do_apply_crisis_config(config.crisis)
    return organisation
