"""Reading the organisation back: its rules, structure, approval rules and cool-off."""

from __future__ import annotations

from sablier.organisation.models import Department, Organisation
from sablier.per_batch import once_per_batch
from sablier.routing import RuleSet, parse_rules
from sablier.routing.approval_rules import ApprovalRule, parse_approval_rules
from sablier.routing.structure import Structure, structure_from_json


def current_organisation() -> Organisation:
    organisation = once_per_batch("organisation", lambda: Organisation.objects.order_by("pk").first())
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


def current_structure(organisation: Organisation | None = None) -> Structure:
    organisation = organisation or current_organisation()
    structure = structure_from_json(organisation.structure)
    if not structure.central:
        central = Department.objects.filter(is_central=True).values_list("slug", flat=True).first() or ""
        private = frozenset(Department.objects.filter(private=True).values_list("slug", flat=True))
        structure = Structure(central=central, private=private)
    return structure


def current_approval_rules(organisation: Organisation | None = None) -> tuple[ApprovalRule, ...]:
    organisation = organisation or current_organisation()
    departments = set(Department.objects.values_list("slug", flat=True))
    return parse_approval_rules(organisation.approval_rules, departments)
