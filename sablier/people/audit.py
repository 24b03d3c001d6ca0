"""Writing the people audit trail, the suppression change log, and announcing policy changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from sablier.people.models import Person, PersonEvent, SuppressionChange
from sablier.per_batch import insert_later
from sablier.webhooks.outbox import do_enqueue_webhook


def record_person_event(
    person: Person, verb: str, now: datetime, detail: dict[str, Any] | None = None, actor: User | None = None
) -> None:
    insert_later(PersonEvent(person=person, verb=verb, detail=detail or {}, actor=actor, at=now))


def announce_policy_change(person: Person, event: str, now: datetime, detail: dict[str, Any]) -> None:
    """Log a contact-policy change for the incremental export and tell the webhook subscribers,
    both in the caller's transaction (the log row, read by no one until then, at the end of a batch)."""
    insert_later(SuppressionChange(person=person, change=event, detail=detail, at=now))
    do_enqueue_webhook(event, {"event": event, **detail, "at": now.isoformat()}, now)
