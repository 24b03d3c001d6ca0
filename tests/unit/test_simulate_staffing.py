"""The staffing file: every mistake names the key and says how to fix it."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sablier.errors import ValidationFailed
from sablier.simulate.staffing import Staffing, default_staffing, parse_staffing

DEPARTMENTS = ("central", "customer-service", "pr")


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_staffing(data, default_staffing(DEPARTMENTS), "central")
    return {e.field: e.message for e in caught.value.errors}


def test_it_reads_people_hours_level_and_cost() -> None:
    data = {
        "calendars": {
            "long-days": {"like": "quebec", "hours": {"mon-fri": "08:00-20:00", "sat": "09:00-13:00"}}
        },
        "hourly_cost": 40,
        "departments": {
            "customer-service": {"people": 3, "calendar": "long-days"},
            "pr": {"people": 1, "level": "senior", "hourly_cost": 70, "calendar": "france"},
        },
    }
    staffing: Staffing = parse_staffing(data, default_staffing(DEPARTMENTS), "central")
    service, pr = staffing.team("customer-service"), staffing.team("pr")
    assert (service.people, service.hourly_cost, pr.level, pr.hourly_cost) == (3, 40.0, "senior", 70.0)
    assert service.calendar.hours[5] == [(time(9), time(13))]
    assert service.calendar.is_open(datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("America/Toronto")))
    assert pr.calendar.tz == ZoneInfo("Europe/Paris")


def test_it_names_the_key_and_the_fix() -> None:
    found = problems({"departments": {"customer-service": {"people": -1}, "sales": {"people": 1}}})
    assert "people: 2" in found["departments.customer-service.people"]
    assert "unknown department 'sales'" in found["departments.sales"] and "pr" in found["departments.sales"]


def test_it_explains_bad_hours_calendars_levels_and_keys() -> None:
    found = problems(
        {
            "calendars": {"late": {"like": "quebec", "hours": {"mon-fri": "9h-17h"}}},
            "departments": {"pr": {"calendar": "night", "level": "boss", "poeple": 2}},
        }
    )
    assert '"09:00-17:00"' in found["calendars.late.hours.mon-fri"]
    assert "quebec" in found["departments.pr.calendar"] and "calendars:" in found["departments.pr.calendar"]
    assert "trainee, enrolled, senior" in found["departments.pr.level"]
    assert "people" in found["departments.pr.poeple"]


def test_it_needs_someone_in_the_central_team() -> None:
    assert (
        "people: 1 or more"
        in problems({"departments": {"central": {"people": 0}}})["departments.central.people"]
    )
