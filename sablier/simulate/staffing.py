"""Staffing per department: people on shift, their business hours (a calendar, in the organisation
file's `calendars:` format), their training level and an hourly cost — read from a YAML mapping whose
every error names the key and how to fix it.

    calendars:                       # optional; the built-in and the organisation's are known already
      long-days: {like: quebec, hours: {mon-fri: "08:00-20:00", sat: "10:00-14:00"}}
    hourly_cost: 45                  # every department's, unless it says otherwise
    departments:
      central: {people: 2, level: senior, calendar: long-days}
      customer-service: {people: 3, hourly_cost: 38}
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sablier.errors import FieldError, ValidationFailed
from sablier.routing.structure import LEVELS
from sablier.sla.business_hours import Calendar
from sablier.sla.config import parse_calendars

TEAM_KEYS = ("people", "level", "calendar", "hourly_cost")
TOP_KEYS = ("calendars", "hourly_cost", "departments")
DEFAULT_CALENDAR = "quebec"
DEFAULT_COST = 45.0
CENTRAL_HINT = "the central team triages every case: give it people: 1 or more"
PEOPLE_HINT = "a whole number of people on shift (0 or more), e.g. people: 2"
COST_HINT = "the cost of one person-hour, a number ≥ 0, e.g. hourly_cost: 40"


@dataclass(frozen=True)
class Team:
    department: str
    people: int
    calendar: Calendar
    hourly_cost: float
    level: str = "enrolled"


@dataclass(frozen=True)
class Staffing:
    teams: dict[str, Team]

    def team(self, department: str) -> Team:
        return self.teams[department]


def default_staffing(
    departments: tuple[str, ...],
    people: dict[str, int] | None = None,
    levels: dict[str, str] | None = None,
    calendars: dict[str, Calendar] | None = None,
) -> Staffing:
    """One person per department (or the given head counts) on its calendar (Québec by default)."""
    quebec = parse_calendars(None, [])[DEFAULT_CALENDAR]
    return Staffing(
        {
            d: Team(
                d,
                (people or {}).get(d, 1),
                (calendars or {}).get(d, quebec),
                DEFAULT_COST,
                (levels or {}).get(d, "enrolled"),
            )
            for d in departments
        }
    )


def _number(value: Any, where: str, errors: list[FieldError], hint: str, whole: bool = False) -> Any:
    kinds = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or value < 0:
        errors.append(FieldError(where, hint))
        return None
    return value


def _team(slug: str, raw: Any, base: Team, calendars: dict[str, Calendar], errors: list[FieldError]) -> Team:
    where = f"departments.{slug}"
    if not isinstance(raw, dict):
        errors.append(FieldError(where, "a mapping like {people: 2, hourly_cost: 40}"))
        return base
    errors += [
        FieldError(f"{where}.{key}", f"unknown key; use {', '.join(TEAM_KEYS)}")
        for key in raw
        if key not in TEAM_KEYS
    ]
    people = _number(raw.get("people", base.people), f"{where}.people", errors, PEOPLE_HINT, whole=True)
    cost = _number(raw.get("hourly_cost", base.hourly_cost), f"{where}.hourly_cost", errors, COST_HINT)
    level = raw.get("level", base.level)
    if level not in LEVELS:
        errors.append(FieldError(f"{where}.level", f"use {', '.join(LEVELS)}"))
    calendar = calendars.get(str(raw.get("calendar")), base.calendar) if "calendar" in raw else base.calendar
    if "calendar" in raw and str(raw["calendar"]) not in calendars:
        known = ", ".join(sorted(calendars))
        errors.append(
            FieldError(f"{where}.calendar", f"unknown calendar; use {known} or define it under calendars:")
        )
    if people is None or cost is None or level not in LEVELS:
        return base
    return Team(slug, people, calendar, float(cost), level)


def parse_staffing(
    data: Any, base: Staffing, central: str, calendars: dict[str, Calendar] | None = None
) -> Staffing:
    """The base staffing with what the mapping changes; every mistake reported at once."""
    if not isinstance(data, dict):
        raise ValidationFailed(
            "the staffing file is invalid", [FieldError("(root)", "a mapping with departments:")]
        )
    errors = [
        FieldError(str(k), f"unknown key; use {', '.join(TOP_KEYS)}") for k in data if k not in TOP_KEYS
    ]
    known = {**(calendars or {}), **parse_calendars(data.get("calendars"), errors)}
    cost = _number(data["hourly_cost"], "hourly_cost", errors, COST_HINT) if "hourly_cost" in data else None
    teams = {
        slug: team if cost is None else replace(team, hourly_cost=float(cost))
        for slug, team in base.teams.items()
    }
    departments = data.get("departments") or {}
    if not isinstance(departments, dict):
        errors.append(
            FieldError("departments", "a mapping of department slug to {people, calendar, hourly_cost}")
        )
        departments = {}
    for slug, raw in departments.items():
        if slug in teams:
            teams[slug] = _team(str(slug), raw, teams[slug], known, errors)
        else:
            valid = ", ".join(sorted(teams))
            errors.append(FieldError(f"departments.{slug}", f"unknown department {slug!r}; known: {valid}"))
    if not errors and teams[central].people < 1:
        errors.append(FieldError(f"departments.{central}.people", CENTRAL_HINT))
    if errors:
        raise ValidationFailed("the staffing file is invalid", errors)
    return Staffing(teams)
