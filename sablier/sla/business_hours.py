"""Business time: opening hours per weekday in a time zone, minus holidays — pure, no Django.

Opening intervals are local wall-clock times; each is turned into two absolute instants on its own
date, so a 09:00-17:00 day is 8 business hours on the days clocks change too, and a 24/7 calendar
counts real elapsed time (23 h on a spring-forward day). An interval ending at 00:00 ends at
midnight of the next day. Every datetime returned is in UTC: subtracting two aware datetimes that
share a ZoneInfo compares wall clocks, not instants, which is wrong across DST.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

MIDNIGHT = time(0, 0)
ZERO = timedelta(0)
_SEARCH_DAYS = 3660  # give up after ten years without an opening hour
_YEARS = range(2000, 2061)  # years covered by the built-in holiday lists

Interval = tuple[datetime, datetime]


@dataclass(frozen=True, eq=False)
class Calendar:
    """weekday (0 = Monday … 6 = Sunday) → opening intervals [start, end) in local time."""

    tz: ZoneInfo
    hours: dict[int, list[tuple[time, time]]]
    holidays: frozenset[date] = frozenset()
    name: str = ""

    def __post_init__(self) -> None:
        if not any(self.hours.get(day) for day in range(7)):
            raise ValueError("a calendar needs at least one opening interval")
        for day, intervals in self.hours.items():
            if day not in range(7):
                raise ValueError(f"weekday {day} is not between 0 (Monday) and 6 (Sunday)")
            for start, end in intervals:
                if end != MIDNIGHT and end <= start:
                    raise ValueError(f"interval {start}-{end} ends before it starts")

    def is_open(self, at: datetime) -> bool:
        at = _utc(at)
        day = _local_date(self, at)
        intervals = self.day_intervals(day - timedelta(days=1)) + self.day_intervals(day)
        return any(start <= at < end for start, end in intervals)

    def next_open(self, at: datetime) -> datetime:
        """`at` itself (in UTC) when open, otherwise the instant the calendar next opens."""
        start, _ = next(open_intervals(self, at))
        return max(start, _utc(at))

    def day_intervals(self, day: date) -> list[Interval]:
        """The opening intervals of one local date as UTC instants; none on holidays."""
        if day in self.holidays:
            return []
        result = []
        for start, end in sorted(self.hours.get(day.weekday(), [])):
            opens = datetime.combine(day, start, tzinfo=self.tz).astimezone(UTC)
            end_day = day + timedelta(days=1) if end == MIDNIGHT else day
            closes = datetime.combine(end_day, end, tzinfo=self.tz).astimezone(UTC)
            if closes > opens:
                result.append((opens, closes))
        return result


def open_intervals(calendar: Calendar, since: datetime) -> Iterator[Interval]:
    """Opening intervals (UTC) that end after `since`, in order (a 24/7 calendar yields one per day)."""
    since = _utc(since)
    day = _local_date(calendar, since) - timedelta(days=1)
    for _ in range(_SEARCH_DAYS):
        for start, end in calendar.day_intervals(day):
            if end > since:
                yield start, end
        day += timedelta(days=1)
    raise ValueError(f"calendar {calendar.name or '?'} never opens after {since.isoformat()}")


def add_business_time(calendar: Calendar, start: datetime, duration: timedelta) -> datetime:
    """The instant (UTC) when `duration` of open time has passed since `start`."""
    if duration < ZERO:
        raise ValueError("duration must not be negative")
    start = _utc(start)
    if duration == ZERO:
        return start
    remaining = duration
    for opens, closes in open_intervals(calendar, start):
        opens = max(opens, start)
        if remaining <= closes - opens:
            return opens + remaining
        remaining -= closes - opens
    raise AssertionError("unreachable: open_intervals raises when it runs out")


def business_time_between(calendar: Calendar, a: datetime, b: datetime) -> timedelta:
    """Open time from `a` to `b`; negative when `b` is before `a`."""
    a, b = _utc(a), _utc(b)
    if b < a:
        return -business_time_between(calendar, b, a)
    total = ZERO
    for opens, closes in open_intervals(calendar, a):
        if opens >= b:
            break
        total += min(closes, b) - max(opens, a)
    return total


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("business time needs aware datetimes")
    return at.astimezone(UTC)


def _local_date(calendar: Calendar, at: datetime) -> date:
    return at.astimezone(calendar.tz).date()


def weekdays(start: time, end: time, *more: tuple[time, time]) -> dict[int, list[tuple[time, time]]]:
    """Monday to Friday open over the same intervals."""
    return {day: [(start, end), *more] for day in range(5)}


@cache
def quebec() -> Calendar:
    """Montréal, Monday-Friday 09:00-17:00, Québec statutory holidays (incl. 24 June, 1 July)."""
    days = frozenset(holidays_lib.country_holidays("CA", subdiv="QC", years=_YEARS))
    return Calendar(ZoneInfo("America/Toronto"), weekdays(time(9), time(17)), days, "quebec")


@cache
def france() -> Calendar:
    """Paris, Monday-Friday 09:00-12:30 and 13:30-18:00 (8 h), French public holidays (incl. 14 July)."""
    days = frozenset(holidays_lib.country_holidays("FR", years=_YEARS))
    hours = weekdays(time(9), time(12, 30), (time(13, 30), time(18)))
    return Calendar(ZoneInfo("Europe/Paris"), hours, days, "france")


@cache
def always_open() -> Calendar:
    """24/7: business time is elapsed time (crisis and safety clocks)."""
    return Calendar(ZoneInfo("UTC"), {day: [(MIDNIGHT, MIDNIGHT)] for day in range(7)}, frozenset(), "24/7")


BUILTIN = {"quebec": quebec, "france": france, "24/7": always_open}
