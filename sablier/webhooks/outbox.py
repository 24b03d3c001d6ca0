"""do_enqueue_webhook(): write the outbox rows in the caller's transaction, send nothing yet."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sablier.per_batch import once_per_batch
from sablier.webhooks.events import is_known_event, subscribes_to
from sablier.webhooks.models import Delivery, Endpoint
from sablier.webhooks.states import PENDING


def webhook_body(event: str, payload: dict[str, Any], now: datetime) -> str:
    """The exact JSON sent; fails here, in the caller's transaction, if the payload is not JSON."""
    envelope = {"event": event, "occurred_at": now.isoformat(), "data": payload}
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True)


def do_enqueue_webhook(event: str, payload: dict[str, Any], now: datetime) -> int:
    """One pending delivery per active endpoint subscribed to `event`. Rolled back with the
    caller's change, and never lost once it commits: the worker sends it (deliver_due)."""
    if not is_known_event(event):
        raise ValueError(f"unknown webhook event {event!r}; add it to sablier.webhooks.events.KNOWN_EVENTS")
    body = webhook_body(event, payload, now)
    active = once_per_batch("webhook_endpoints", lambda: list(Endpoint.objects.filter(active=True)))
    endpoints = [e for e in active if subscribes_to(e.events, event)]
    rows = [
        Delivery(
            endpoint=endpoint,
            event=event,
            payload=json.loads(body)["data"],
            body=body,
            state=PENDING,
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in endpoints
    ]
    if rows:
        Delivery.objects.bulk_create(rows)  # one statement (or a few, in one transaction)
    return len(rows)
