"""The `slas:` and `calendars:` sections of the organisation file, and a department's `calendar:`; pure.

calendars:
  montreal: {like: quebec}
  paris: {timezone: Europe/Paris, hours: {mon-fri: "09:00-12:30, 13:30-18:00"}, holidays: FR,
          extra_holidays: [2026-12-24]}
slas:
  - {when: {intent: complaint, department: pr}, first_response: 30m, resolution: 8h, warn_at: 0.5}
  - {when: {intent: question}, first_response: 2h, clock: 24/7}
"""

from __future__ import annotations

import json
from datetime import date, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

from sablier.errors import FieldError
from sablier.sla.business_hours import BUILTIN, Calendar
from sablier.sla.targets import CLOCKS, Target, parse_duration
from sablier.understand.reading import INTENTS, URGENCIES

DEFAULT_CALENDAR = "quebec"  # every department without a `calendar:` key, unless `calendars:` has "default"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TARGET_KEYS = {"name", "when", "first_response", "resolution", "clock", "warn_at"}
_CALENDAR_KEYS = {"like", "timezone", "hours", "holidays", "extra_holidays"}


class Invalid(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _days(key: str) -> list[int]:
    first, _, last = key.strip().lower().partition("-")
    if first not in DAYS or (last and last not in DAYS):
        raise ValueError(f"use mon, tue, … sun or a range like mon-fri, not {key!r}")
    return list(range(DAYS.index(first), DAYS.index(last or first) + 1))


def _intervals(raw: object) -> list[tuple[time, time]]:
    if raw in ("closed", None, ""):
        return []
    parts = raw if isinstance(raw, list) else str(raw).split(",")
    result = []
    for part in parts:
        start, _, end = str(part).strip().partition("-")
        try:
            opens, closes = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
        except ValueError:
            raise ValueError(f'write hours like "09:00-17:00" or closed, not {part!r}') from None
        result.append((opens, closes))
    return result


def _holidays(raw: object, field: str) -> frozenset[date]:
    if raw in (None, "none"):
        return frozenset()
    country, _, subdiv = str(raw).upper().partition("-")
    try:
        found = holidays_lib.country_holidays(country, subdiv=subdiv or None, years=range(2000, 2061))
    except NotImplementedError:
        raise Invalid(field, f"no holiday list for {raw!r}: use a country code like FR or CA-QC") from None
    return frozenset(found)


def _extra(raw: object, field: str) -> frozenset[date]:
    if not isinstance(raw, list):
        raise Invalid(field, "list dates like 2026-12-24")
    try:
        return frozenset(d if isinstance(d, date) else date.fromisoformat(str(d)) for d in raw)
    except ValueError:
        raise Invalid(field, "list dates like 2026-12-24") from None


def _calendar(name: str, raw: Any) -> Calendar:
    where = f"calendars.{name}"
    if not isinstance(raw, dict) or set(raw) - _CALENDAR_KEYS:
        raise Invalid(where, f"use the keys {', '.join(sorted(_CALENDAR_KEYS))}")
    base = BUILTIN[raw["like"]]() if raw.get("like") in BUILTIN else None
    if "like" in raw and base is None:
        raise Invalid(f"{where}.like", f"use one of {', '.join(BUILTIN)}")
    try:
        tz = ZoneInfo(str(raw["timezone"])) if "timezone" in raw else (base.tz if base else None)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"{where}.timezone", "use an IANA time zone like America/Toronto") from None
    if tz is None:
        raise Invalid(f"{where}.timezone", "say which time zone, e.g. America/Toronto")
    hours = dict(base.hours) if base else {}
    if "hours" in raw:
        if not isinstance(raw["hours"], dict):
            raise Invalid(f"{where}.hours", 'map days to hours, e.g. {mon-fri: "09:00-17:00"}')
        hours = {}
        for key, value in raw["hours"].items():
            try:
                hours.update({day: _intervals(value) for day in _days(str(key))})
            except ValueError as error:
                raise Invalid(f"{where}.hours.{key}", str(error)) from None
    days = _holidays(raw["holidays"], f"{where}.holidays") if "holidays" in raw else None
    days = (base.holidays if base else frozenset()) if days is None else days
    if "extra_holidays" in raw:
        days |= _extra(raw["extra_holidays"], f"{where}.extra_holidays")
    try:
        return Calendar(tz, hours, days, name)
    except ValueError as error:
        raise Invalid(f"{where}.hours", str(error)) from None


def parse_calendars(raw: Any, errors: list[FieldError]) -> dict[str, Calendar]:
    """The built-in calendars and the organisation's own, by name."""
    found: dict[str, Calendar] = {name: make() for name, make in BUILTIN.items()}
    if raw is None:
        return found
    if not isinstance(raw, dict):
        errors.append(FieldError("calendars", "map calendar names to {timezone, hours, holidays}"))
        return found
    for name, spec in raw.items():
        try:
            found[str(name)] = _calendar(str(name), spec)
        except Invalid as error:
            errors.append(FieldError(error.field, str(error)))
    return found


def _when(raw: Any, where: str, departments: set[str]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or set(raw) - {"intent", "urgency", "department"}:
        raise Invalid(where, "match on intent, urgency and department")
    allowed = {"intent": set(INTENTS), "urgency": set(URGENCIES), "department": departments}
    for key, value in raw.items():
        if str(value) not in allowed[key]:
            raise Invalid(f"{where}.{key}", f"use one of {', '.join(sorted(allowed[key]))}")
    return {key: str(value) for key, value in raw.items()}


def _target(raw: Any, where: str, departments: set[str]) -> Target:
    if not isinstance(raw, dict) or set(raw) - _TARGET_KEYS:
        raise Invalid(where, f"use the keys {', '.join(sorted(_TARGET_KEYS))}")
    if "first_response" not in raw and "resolution" not in raw:
        raise Invalid(where, "set first_response, resolution or both")
    durations = {}
    for key in ("first_response", "resolution"):
        try:
            durations[key] = parse_duration(raw[key]) if key in raw else None
        except ValueError as error:
            raise Invalid(f"{where}.{key}", str(error)) from None
    clock = str(raw.get("clock", "business"))
    if clock not in CLOCKS:
        raise Invalid(f"{where}.clock", "business (the department's calendar) or 24/7")
    warn = raw.get("warn_at")
    if warn is not None and (not isinstance(warn, (int, float)) or not 0 < warn < 1):
        raise Invalid(f"{where}.warn_at", "a share of the target between 0 and 1, e.g. 0.75")
    when = _when(raw.get("when"), f"{where}.when", departments)
    name = str(raw.get("name") or "/".join(when.values()) or "organisation")
    return Target(
        name,
        when.get("intent", ""),
        when.get("urgency", ""),
        when.get("department", ""),
        durations["first_response"],
        durations["resolution"],
        clock,
        None if warn is None else float(warn),
    )


def parse_slas(raw: Any, departments: set[str], errors: list[FieldError]) -> tuple[Target, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        errors.append(FieldError("slas", "list targets: {when, first_response, resolution}"))
        return ()
    targets = []
    for i, entry in enumerate(raw):
        try:
            targets.append(_target(entry, f"slas[{i}]", departments))
        except Invalid as error:
            errors.append(FieldError(error.field, str(error)))
    return tuple(targets)


def check_sla_config(raw_slas: Any, raw_calendars: Any, departments: set[str]) -> list[FieldError]:
    """Every mistake in the two sections, each naming its key (e.g. `slas[2].first_response`)."""
    errors: list[FieldError] = []
    parse_slas(raw_slas, departments, errors)
    parse_calendars(raw_calendars, errors)
    return errors


def check_department_calendar(name: object, raw_calendars: Any) -> str | None:
    """What is wrong with a department's `calendar:` value, or None."""
    known = [*BUILTIN, *(raw_calendars or {})] if isinstance(raw_calendars, dict) else [*BUILTIN]
    return None if name in known else f"use one of {', '.join(map(str, known))}"


@cache
def _cached(frozen: str) -> dict[str, Calendar]:
    return parse_calendars(json.loads(frozen), [])


def calendars_of(raw: Any) -> dict[str, Calendar]:
    """Parsed calendars, cached by their stored JSON (holiday lists are slow to build)."""
    return _cached(json.dumps(raw, sort_keys=True, default=str))
