"""The `people:` section of the organisation file: who belongs where, as lead or member, at which
training level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sablier.errors import FieldError, ValidationFailed
from sablier.routing.structure import LEVELS

ROLES = ("member", "lead")


@dataclass(frozen=True)
class PersonConfig:
    name: str
    departments: tuple[str, ...]
    role: str = "member"
    level: str = "enrolled"


def _person(raw: Any, where: str, departments: set[str], errors: list[FieldError]) -> PersonConfig | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        errors.append(FieldError(where, "each person needs a name and departments"))
        return None
    wanted = raw.get("departments", [])
    wanted = [wanted] if isinstance(wanted, str) else wanted
    if not isinstance(wanted, list) or not wanted:
        errors.append(FieldError(f"{where}.departments", "list at least one department"))
        wanted = []
    for slug in wanted:
        if slug not in departments:
            errors.append(FieldError(f"{where}.departments", f"unknown department {slug!r}"))
    role, level = raw.get("role", "member"), raw.get("level", "enrolled")
    if role not in ROLES:
        errors.append(FieldError(f"{where}.role", f"use one of {', '.join(ROLES)}"))
    if level not in LEVELS:
        errors.append(FieldError(f"{where}.level", f"use one of {', '.join(LEVELS)}"))
    return PersonConfig(raw["name"], tuple(s for s in wanted if s in departments), str(role), str(level))


def parse_people(data: Any, departments: set[str]) -> tuple[PersonConfig, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ValidationFailed(
            "invalid people", [FieldError("people", "a list of {name, departments, role, level}")]
        )
    errors: list[FieldError] = []
    people = [_person(raw, f"people[{i}]", departments, errors) for i, raw in enumerate(data)]
    if errors:
        raise ValidationFailed("invalid people", errors)
    return tuple(p for p in people if p is not None)
