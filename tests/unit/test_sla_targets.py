"""SLA targets and the organisation file's `slas:` and `calendars:` sections."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sablier.sla.config import check_department_calendar, check_sla_config, parse_calendars, parse_slas
from sablier.sla.targets import ALWAYS, BUSINESS, parse_duration, resolve_target

DEPARTMENTS = {"central", "customer-service", "pr"}


@pytest.mark.parametrize(
    ("intent", "urgency", "first", "clock"),
    [
        ("crisis", "high", timedelta(minutes=30), ALWAYS),
        ("complaint", "critical", timedelta(minutes=15), ALWAYS),
        ("complaint", "normal", timedelta(hours=1), BUSINESS),
        ("sales_lead", "low", timedelta(hours=1), BUSINESS),
        ("question", "normal", timedelta(hours=4), BUSINESS),
        ("praise", "low", timedelta(hours=8), BUSINESS),
    ],
)
def test_it_defaults_to_published_expectations(
    intent: str, urgency: str, first: timedelta, clock: str
) -> None:
    resolved = resolve_target(intent, urgency, "customer-service")
    assert (resolved.first_response, resolved.clock) == (first, clock)


def test_the_most_specific_target_wins_and_fields_fall_back() -> None:
    raw = [
        {"when": {"intent": "complaint"}, "first_response": "45m"},
        {"when": {"intent": "complaint", "department": "pr"}, "first_response": "30m", "warn_at": 0.5},
    ]
    targets = parse_slas(raw, DEPARTMENTS, [])
    pr = resolve_target("complaint", "normal", "pr", targets)
    assert (pr.first_response, pr.resolution, pr.warn_at) == (timedelta(minutes=30), timedelta(hours=16), 0.5)
    assert resolve_target("complaint", "normal", "central", targets).first_response == timedelta(minutes=45)


def test_it_names_the_key_of_each_mistake() -> None:
    raw_slas = [
        {"when": {"intent": "complaint"}, "first_response": "1h"},
        {"when": {"intent": "moan"}, "first_response": "1h"},
        {"first_response": "2 days"},
        {"first_response": "1h", "clock": "sometimes"},
        {"when": {"department": "sales"}, "resolution": "8h"},
    ]
    raw_calendars = {
        "paris": {"timezone": "Europe/Lutetia"},
        "x": {"like": "quebec", "hours": {"mon": "9-5"}},
    }
    fields = [e.field for e in check_sla_config(raw_slas, raw_calendars, DEPARTMENTS)]
    assert fields == [
        "slas[1].when.intent",
        "slas[2].first_response",
        "slas[3].clock",
        "slas[4].when.department",
        "calendars.paris.timezone",
        "calendars.x.hours.mon",
    ]


def test_it_builds_a_configured_calendar() -> None:
    raw = {
        "pr-paris": {
            "timezone": "Europe/Paris",
            "hours": {"mon-fri": "08:00-20:00", "sat": "10:00-14:00"},
            "holidays": "FR",
            "extra_holidays": [date(2026, 12, 24)],
        }
    }
    calendar = parse_calendars(raw, [])["pr-paris"]
    paris = ZoneInfo("Europe/Paris")
    assert calendar.is_open(datetime(2026, 11, 28, 11, tzinfo=paris))  # a Saturday
    assert not calendar.is_open(datetime(2026, 12, 24, 11, tzinfo=paris))
    assert not calendar.is_open(datetime(2026, 7, 14, 11, tzinfo=paris))


def test_a_department_calendar_must_exist() -> None:
    assert check_department_calendar("france", None) is None
    assert check_department_calendar("pr-paris", {"pr-paris": {"like": "france"}}) is None
    assert "quebec" in (check_department_calendar("mars", None) or "")


def test_durations_are_minutes_or_hours() -> None:
    assert parse_duration(90) == parse_duration("1h30m") == timedelta(minutes=90)
    with pytest.raises(ValueError, match="8h"):
        parse_duration("1d")
