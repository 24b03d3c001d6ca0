"""When a notification goes out: now, or with the next digest; pure."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

URGENCIES = ("low", "normal", "high", "critical")
KINDS = (
    "case.routed",
    "case.assigned",
    "mention",
    "approval.requested",
    "approval.decided",
    "handoff",
    "crisis",
    "sla.warning",
    "sla.breached",
)
HOURLY, DAILY = "hourly", "daily"
DIGESTS = (HOURLY, DAILY)


def is_immediate(urgency: str, immediate_from: str) -> bool:
    """True when `urgency` is at least the person's `immediate_from` level."""
    return URGENCIES.index(urgency) >= URGENCIES.index(immediate_from)


def digest_due(now: datetime, digest: str, daily_hour: int, zone: tzinfo) -> datetime:
    """The next digest after `now`: the next full hour, or the next `daily_hour`:00 in `zone`."""
    local = now.astimezone(zone)
    if digest == HOURLY:
        return local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    due = local.replace(hour=daily_hour, minute=0, second=0, microsecond=0)
    return due if due > local else due + timedelta(days=1)
