"""Reporting periods: a month "2026-10", an ISO week "2026-W44", or days "2026-10-01..2026-10-15"; pure.

Periods are counted in UTC, start included and end excluded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
HINT = "a month like 2026-10, an ISO week like 2026-W44, or days like 2026-10-01..2026-10-15"


@dataclass(frozen=True)
class Period:
    slug: str
    kind: str  # month | week | range
    start: datetime
    end: datetime

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> Period:
        if self.kind == "month":
            return month_of(self.start - timedelta(days=1))
        if self.kind == "week":
            return week_of(self.start - timedelta(days=1))
        last = self.start.date() - timedelta(days=1)
        return parse_period(f"{last - timedelta(days=self.days - 1)}..{last}")


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def month_of(moment: datetime | date) -> Period:
    first = date(moment.year, moment.month, 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(f"{first:%Y-%m}", "month", _midnight(first), _midnight(following))


def week_of(moment: datetime | date) -> Period:
    day = moment.date() if isinstance(moment, datetime) else moment
    year, week, weekday = day.isocalendar()
    monday = day - timedelta(days=weekday - 1)
    return Period(f"{year}-W{week:02d}", "week", _midnight(monday), _midnight(monday + timedelta(days=7)))


def parse_period(text: str) -> Period:
    """The period a slug names; ValueError says what to write instead."""
    text = text.strip()
    try:
        if found := MONTH.match(text):
            return month_of(date(int(found[1]), int(found[2]), 1))
        if found := WEEK.match(text):
            return week_of(date.fromisocalendar(int(found[1]), int(found[2]), 1))
        if found := RANGE.match(text):
            first, last = date.fromisoformat(found[1]), date.fromisoformat(found[2])
            if first <= last:
                return Period(text, "range", _midnight(first), _midnight(last + timedelta(days=1)))
    except ValueError:
        pass
    raise ValueError(f"{text!r} is not a period: use {HINT}")


def months_overlapping(start: datetime, end: datetime) -> list[tuple[str, float]]:
    """Each month the span touches, with the share of that month's days inside the span."""
    shares = []
    month = month_of(start)
    while month.start < end:
        inside = min(end, month.end) - max(start, month.start)
        shares.append((month.slug, inside / (month.end - month.start)))
        month = month_of(month.end)
    return shares


def buckets(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Days for spans up to 62 days, ISO weeks beyond: the x axis of charts over time."""
    step = timedelta(days=1) if end - start <= timedelta(days=62) else timedelta(days=7)
    edges = []
    at = start
    while at < end:
        edges.append((at, min(at + step, end)))
        at += step
    return edges
