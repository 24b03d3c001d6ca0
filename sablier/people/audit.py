"""Writing the people audit trail and the suppression change log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from sablier.people.models import Person, PersonEvent, SuppressionChange


def record_person_event(
    person: Person, verb: str, now: datetime, detail: dict[str, Any] | None = None, actor: User | None = None
) -> None:
    PersonEvent.objects.create(person=person, verb=verb, detail=detail or {}, actor=actor, at=now)


def record_suppression_change(person: Person, change: str, now: datetime, detail: dict[str, Any]) -> None:
    SuppressionChange.objects.create(person=person, change=change, detail=detail, at=now)
