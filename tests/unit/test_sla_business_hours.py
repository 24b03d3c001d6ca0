"""Business-hours arithmetic across DST changes and holidays, in Montréal and Paris."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sablier.sla.business_hours import (
    Calendar,
    add_business_time,
    always_open,
    business_time_between,
    france,
    quebec,
)

CALENDARS = {"quebec": quebec(), "france": france(), "24/7": always_open()}
MONTREAL, PARIS = ZoneInfo("America/Toronto"), ZoneInfo("Europe/Paris")
# instants around the 2026 and 2027 DST changes and the holidays tested below
instants = st.datetimes(
    min_value=datetime(2026, 3, 1), max_value=datetime(2027, 11, 30), timezones=st.just(UTC)
)
durations = st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(hours=60))
calendars = st.sampled_from(sorted(CALENDARS))


@settings(max_examples=150, deadline=None)
@given(calendars, instants, durations)
def test_it_gives_back_the_duration_it_added(name: str, start: datetime, duration: timedelta) -> None:
    calendar = CALENDARS[name]
    end = add_business_time(calendar, start, duration)
    assert business_time_between(calendar, start, end) == duration


@settings(max_examples=150, deadline=None)
@given(calendars, instants, durations, durations)
def test_it_is_monotonic(name: str, start: datetime, shorter: timedelta, longer: timedelta) -> None:
    calendar = CALENDARS[name]
    shorter, longer = sorted((shorter, longer))
    assert add_business_time(calendar, start, shorter) <= add_business_time(calendar, start, longer)


@settings(max_examples=150, deadline=None)
@given(calendars, instants, durations)
def test_it_never_ends_inside_a_closed_period(name: str, start: datetime, duration: timedelta) -> None:
    calendar = CALENDARS[name]
    end = add_business_time(calendar, start, duration)
    assert calendar.is_open(end) or calendar.is_open(end - timedelta(microseconds=1))


@settings(max_examples=100, deadline=None)
@given(calendars, instants, instants, instants)
def test_it_adds_up_intervals(name: str, a: datetime, b: datetime, c: datetime) -> None:
    calendar = CALENDARS[name]
    a, b, c = sorted((a, b, c))
    total = business_time_between(calendar, a, b) + business_time_between(calendar, b, c)
    assert total == business_time_between(calendar, a, c) == -business_time_between(calendar, c, a)


@settings(max_examples=100, deadline=None)
@given(calendars, instants)
def test_next_open_is_open_and_nothing_opens_before_it(name: str, at: datetime) -> None:
    calendar = CALENDARS[name]
    opens = calendar.next_open(at)
    assert opens >= at and calendar.is_open(opens)
    assert business_time_between(calendar, at, opens) == timedelta(0)


@pytest.mark.parametrize(
    ("name", "zone", "day"),
    [
        ("quebec", MONTREAL, date(2026, 3, 9)),  # Monday after spring forward (8 March)
        ("quebec", MONTREAL, date(2026, 11, 2)),  # Monday after fall back (1 November)
        ("france", PARIS, date(2026, 3, 30)),  # Monday after 29 March
        ("france", PARIS, date(2026, 10, 26)),  # Monday after 25 October
    ],
)
def test_a_working_day_next_to_a_clock_change_keeps_its_hours(name: str, zone: ZoneInfo, day: date) -> None:
    calendar = CALENDARS[name]
    weekend = datetime.combine(day - timedelta(days=2), time(0), tzinfo=zone)  # Saturday
    end_of_day = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    assert business_time_between(calendar, weekend, end_of_day) == timedelta(hours=8)


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [(MONTREAL, date(2026, 3, 8), 23), (MONTREAL, date(2026, 11, 1), 25), (PARIS, date(2026, 3, 29), 23)],
)
def test_a_24_7_clock_counts_elapsed_time_on_dst_days(zone: ZoneInfo, day: date, hours: int) -> None:
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    assert business_time_between(always_open(), start, end) == timedelta(hours=hours)


def test_a_dst_sunday_opening_counts_real_hours() -> None:
    sundays = Calendar(MONTREAL, {6: [(time(0), time(6))]})
    spring = datetime(2026, 3, 8, tzinfo=MONTREAL)
    assert business_time_between(sundays, spring, spring + timedelta(days=1)) == timedelta(hours=5)


def test_saint_jean_baptiste_is_closed_in_quebec() -> None:
    june_23 = datetime(2026, 6, 23, 16, 30, tzinfo=MONTREAL)
    assert not quebec().is_open(datetime(2026, 6, 24, 10, tzinfo=MONTREAL))
    due = add_business_time(quebec(), june_23, timedelta(hours=1))
    assert due == datetime(2026, 6, 25, 9, 30, tzinfo=MONTREAL)


def test_bastille_day_is_closed_in_france() -> None:
    assert not france().is_open(datetime(2026, 7, 14, 10, tzinfo=PARIS))
    due = add_business_time(france(), datetime(2026, 7, 13, 17, tzinfo=PARIS), timedelta(hours=2))
    assert due == datetime(2026, 7, 15, 10, tzinfo=PARIS)


def test_the_french_lunch_break_is_closed() -> None:
    due = add_business_time(france(), datetime(2026, 11, 27, 12, tzinfo=PARIS), timedelta(hours=1))
    assert due == datetime(2026, 11, 27, 14, tzinfo=PARIS)


def test_it_returns_utc_and_refuses_naive_datetimes() -> None:
    due = add_business_time(quebec(), datetime(2026, 11, 27, 16, 30, tzinfo=MONTREAL), timedelta(hours=1))
    assert due.tzinfo is UTC and due == datetime(2026, 11, 30, 9, 30, tzinfo=MONTREAL)
    with pytest.raises(ValueError, match="aware"):
        quebec().is_open(datetime(2026, 11, 27, 10))


def test_it_refuses_a_calendar_that_never_opens() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Calendar(MONTREAL, {})
