"""deliver_due(): claim due deliveries one by one, sign, POST, and record how it went."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db.models import F

from sablier.lib import http
from sablier.webhooks.models import Delivery
from sablier.webhooks.schedule import LEASE, next_attempt
from sablier.webhooks.signing import sign
from sablier.webhooks.states import DELIVERED, FAILED, PENDING

log = logging.getLogger(__name__)
USER_AGENT = "Sablier-Webhooks/1"


def claim_delivery(delivery: Delivery, now: datetime) -> bool:
    """Take the row for one attempt with a conditional UPDATE (same on SQLite and PostgreSQL):
    of two workers that read the same row, only one moves next_attempt_at and wins."""
    lease_until = now + LEASE
    claimed = Delivery.objects.filter(
        pk=delivery.pk, state=PENDING, next_attempt_at=delivery.next_attempt_at
    ).update(next_attempt_at=lease_until, attempts=F("attempts") + 1)
    if claimed:
        delivery.next_attempt_at, delivery.attempts = lease_until, delivery.attempts + 1
    return bool(claimed)


def webhook_headers(delivery: Delivery, now: datetime) -> dict[str, str]:
    timestamp = int(now.timestamp())
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Sablier-Event": delivery.event,
        "X-Sablier-Delivery": str(delivery.pk),
        "X-Sablier-Timestamp": str(timestamp),
        "X-Sablier-Signature": sign(delivery.endpoint.secret, timestamp, delivery.body),
    }


def _outcome(delivery: Delivery, now: datetime) -> dict[str, Any]:
    """The fields to store after one attempt."""
    try:
        result = http.post_json(delivery.endpoint.url, delivery.body.encode(), webhook_headers(delivery, now))
    except http.OutboundFailed as exc:
        later = next_attempt(delivery.attempts, now, http.retry_delay(exc.retry_after, now))
        retry = exc.transient and later is not None
        state, when = (PENDING, later) if retry else (FAILED, now)
        return {"state": state, "next_attempt_at": when, "last_status": exc.status, "last_error": str(exc)}
    return {"state": DELIVERED, "delivered_at": now, "last_status": result.status, "last_error": ""}


def attempt_delivery(delivery: Delivery, now: datetime) -> str:
    """One attempt of a claimed delivery; stored only if our lease still holds."""
    fields = _outcome(delivery, now)
    stored = Delivery.objects.filter(
        pk=delivery.pk, state=PENDING, next_attempt_at=delivery.next_attempt_at
    ).update(**fields)
    log.info(
        "webhook delivery %s attempt %s: %s %s %s",
        delivery.pk,
        delivery.attempts,
        fields["state"],
        fields["last_status"],
        fields["last_error"][:200],
    )
    if not stored:
        log.warning("webhook delivery %s: lease lost before the outcome was stored", delivery.pk)
    return str(fields["state"])


def deliver_due(now: datetime, limit: int = 100) -> int:
    """Attempt every pending delivery due at `now` (at most `limit`); returns how many were tried."""
    due = (
        Delivery.objects.select_related("endpoint")
        .filter(state=PENDING, next_attempt_at__lte=now, endpoint__active=True)
        .order_by("next_attempt_at", "pk")[:limit]
    )
    tried = 0
    for delivery in list(due):
        if claim_delivery(delivery, now):
            attempt_delivery(delivery, now)
            tried += 1
    return tried
