"""The SLA policy in force: stored by `do_apply_sla_config`, read by the clocks; defaults until then."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from sablier.errors import FieldError, ValidationFailed
from sablier.per_batch import once_per_batch
from sablier.sla.business_hours import Calendar
from sablier.sla.config import DEFAULT_CALENDAR, calendars_of, check_sla_config, parse_slas
from sablier.sla.models import SlaPolicy
from sablier.sla.targets import ALWAYS, Resolved, Target, resolve_target


@dataclass(frozen=True)
class Policy:
    targets: tuple[Target, ...]
    calendars: dict[str, Calendar]
    department_calendars: dict[str, str]

    def calendar_name(self, department: str, clock: str) -> str:
        if clock == ALWAYS:
            return ALWAYS
        default = "default" if "default" in self.calendars else DEFAULT_CALENDAR
        return self.department_calendars.get(department) or default

    def calendar(self, name: str) -> Calendar:
        return self.calendars.get(name) or self.calendars[DEFAULT_CALENDAR]

    def resolve(self, intent: str, urgency: str, department: str) -> Resolved:
        return resolve_target(intent, urgency, department, self.targets)


def current_policy() -> Policy:
    return once_per_batch("sla_policy", _load_policy)


def _load_policy() -> Policy:
    row = SlaPolicy.objects.filter(pk=1).first()
    if row is None:
        return Policy((), calendars_of(None), {})
    targets = parse_slas(row.slas, set(row.department_calendars) | _departments(row.slas), [])
    return Policy(targets, calendars_of(row.calendars or None), dict(row.department_calendars))


def _departments(raw_slas: Any) -> set[str]:
    """Departments named by stored targets (already checked when applied)."""
    names = set()
    for entry in raw_slas or []:
        when = entry.get("when") if isinstance(entry, dict) else None
        if isinstance(when, dict) and when.get("department"):
            names.add(str(when["department"]))
    return names


def do_apply_sla_config(raw_slas: Any, raw_calendars: Any, department_calendars: dict[str, str]) -> None:
    """Store the sections (checked again here); running clocks keep the due times they had.
    `department_calendars` maps every department slug to its `calendar:` value ("" for the default)."""
    departments = set(department_calendars) | _departments(raw_slas)
    errors = check_sla_config(raw_slas, raw_calendars, departments)
    known = set(calendars_of(raw_calendars if isinstance(raw_calendars, dict) else None))
    errors += [
        FieldError(f"departments.{slug}.calendar", f"use one of {', '.join(sorted(known))}")
        for slug, name in department_calendars.items()
        if name and name not in known
    ]
    if errors:
        raise ValidationFailed("the SLA configuration has mistakes", errors)
    with transaction.atomic():
        SlaPolicy.objects.update_or_create(
            pk=1,
            defaults={
                "slas": _json(raw_slas or []),
                "calendars": _json(raw_calendars or {}),
                "department_calendars": {k: v for k, v in department_calendars.items() if v},
            },
        )


def _json(raw: Any) -> Any:
    """YAML dates (extra holidays) become ISO strings."""
    return json.loads(json.dumps(raw, default=str))
