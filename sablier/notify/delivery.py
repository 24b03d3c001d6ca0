"""deliver_notifications(): claim due outbox rows, send them (digests as one message per address),
and record how it went: sent, retried later with back-off, or failed with the error."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import groupby

from django.db.models import F

from sablier.notify.messages import Item, Message, render
from sablier.notify.models import EMAIL, MATRIX, SLACK, Dispatch
from sablier.notify.transports import Outgoing, SendFailed, email, matrix, slack
from sablier.webhooks.schedule import LEASE, next_attempt
from sablier.webhooks.states import DELIVERED, FAILED, PENDING

log = logging.getLogger(__name__)
TRANSPORTS: dict[str, Callable[[Sequence[Outgoing]], list[SendFailed | None]]] = {
    EMAIL: email.send_batch,
    MATRIX: matrix.send_batch,
    SLACK: slack.send_batch,
}


def claim_dispatch(row: Dispatch, now: datetime) -> bool:
    """Take one row for one attempt by conditional UPDATE: of two workers, only one wins it."""
    lease_until = now + LEASE
    claimed = Dispatch.objects.filter(pk=row.pk, state=PENDING, next_attempt_at=row.next_attempt_at).update(
        next_attempt_at=lease_until, attempts=F("attempts") + 1
    )
    if claimed:
        row.next_attempt_at, row.attempts = lease_until, row.attempts + 1
    return bool(claimed)


def _messages(rows: list[Dispatch]) -> list[tuple[list[Dispatch], Message]]:
    """Immediate rows one by one; digest rows for the same address together, as one message."""

    def key(row: Dispatch) -> tuple[bool, str]:
        return (row.digest, row.address if row.digest else str(row.pk))

    groups = [list(group) for _, group in groupby(sorted(rows, key=key), key=key)]
    return [
        (g, render([Item(r.kind, r.urgency, r.text, r.case_id) for r in g], g[0].language)) for g in groups
    ]


def _record(rows: list[Dispatch], problem: SendFailed | None, now: datetime) -> None:
    """Store the outcome, only on rows whose lease is still ours."""
    fields: dict[str, object] = {"state": DELIVERED, "sent_at": now, "last_error": ""}
    if problem is not None:
        later = next_attempt(max(r.attempts for r in rows), now, problem.retry_after)
        retry = problem.transient and later is not None
        fields = {
            "state": PENDING if retry else FAILED,
            "next_attempt_at": later if retry else now,
            "last_error": str(problem),
        }
    for row in rows:
        Dispatch.objects.filter(pk=row.pk, state=PENDING, next_attempt_at=row.next_attempt_at).update(
            **fields
        )
    log.info(
        "notification %s to %s: %s %s",
        [r.pk for r in rows],
        rows[0].channel,
        fields["state"],
        str(fields["last_error"])[:200],
    )


def _deliver_channel(channel: str, rows: list[Dispatch], now: datetime) -> int:
    messages = _messages(rows)
    outcomes = TRANSPORTS[channel]([(group[0].address, message) for group, message in messages])
    for (group, _), problem in zip(messages, outcomes, strict=True):
        _record(group, problem, now)
    return len(rows)


def deliver_notifications(now: datetime, limit: int = 200) -> int:
    """Send every pending row due at `now` (at most `limit`); returns how many rows were tried."""
    due = Dispatch.objects.filter(state=PENDING, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
    claimed = [row for row in due[:limit] if claim_dispatch(row, now)]
    tried = 0
    for channel in (EMAIL, MATRIX, SLACK):
        rows = [row for row in claimed if row.channel == channel]
        if rows:
            tried += _deliver_channel(channel, rows, now)
    return tried
