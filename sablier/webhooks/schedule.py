"""When to try again: a fixed back-off, unless the receiver asked for longer; pure."""

from __future__ import annotations

from datetime import datetime, timedelta

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
)
MAX_RETRY_AFTER = timedelta(days=1)
LEASE = timedelta(minutes=5)


def next_attempt(attempts: int, now: datetime, retry_after: timedelta | None = None) -> datetime | None:
    """After `attempts` transient failures: when to try again, or None to give up.
    A Retry-After wins when larger (capped at a day, so a receiver cannot park a delivery forever)."""
    if attempts > len(BACKOFF):
        return None
    wait = BACKOFF[max(attempts, 1) - 1]
    if retry_after is not None:
        wait = max(wait, min(retry_after, MAX_RETRY_AFTER))
    return now + wait
