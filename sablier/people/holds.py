"""Service holds: a person with an open complaint, crisis or negative case gets no promotion,
until the case closes plus the organisation's cool-off."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from sablier.cases.models import Case
from sablier.cases.queries import first_inbound
from sablier.people.audit import announce_policy_change, record_person_event
from sablier.people.models import Hold, Person
from sablier.per_batch import in_batch, insert_later, once_per_batch

HOLDING_INTENTS = ("complaint", "crisis")


def holding_reason(case: Case) -> str | None:
    if case.intent in HOLDING_INTENTS:
        return f"open {case.intent} case #{case.pk}"
    if case.sentiment == "negative":
        return f"open negative case #{case.pk}"
    return None


def customer_of(case: Case) -> Person | None:
    """The person who started the conversation; people who chime in are not held."""
    mention = first_inbound(case.pk)
    return mention.author.person if mention is not None else None


def _announce(hold: Hold, event: str, now: datetime) -> None:
    detail: dict[str, Any] = {
        "person_id": hold.person_id,
        "case_id": hold.case_id,
        "reason": hold.reason,
        "department": hold.department,
        "until": hold.until.isoformat() if hold.until else None,
    }
    record_person_event(hold.person, event, now, detail)
    announce_policy_change(hold.person, event, now, detail)


def do_start_hold(case: Case, now: datetime) -> Hold | None:
    reason = holding_reason(case)
    person = customer_of(case)
    if reason is None or person is None:
        return None
    department = case.department.slug if case.department else ""
    fields = {"reason": reason, "department": department, "started_at": now}
    if in_batch():
        hold, created = _start_in_batch(case, person, fields)
    else:
        hold, created = Hold.objects.get_or_create(person=person, case=case, defaults=fields)
    if created:
        _announce(hold, "hold.started", now)
    return hold


def _start_in_batch(case: Case, person: Person, fields: dict[str, Any]) -> tuple[Hold, bool]:
    """In the route stage's batch the case is locked: its holds (a new case has some only if cases
    holding them were merged into it) are read once, and a new hold is inserted with the batch's
    other rows (nothing in the batch reads it back). The stage may `remember` f"holds:{pk}"."""
    holds = once_per_batch(
        f"holds:{case.pk}", lambda: {h.person_id: h for h in Hold.objects.filter(case_id=case.pk)}
    )
    if person.pk in holds:
        return holds[person.pk], False
    hold = holds[person.pk] = Hold(person=person, case=case, **fields)
    insert_later(hold)
    return hold, True


def do_schedule_hold_release(case: Case, now: datetime, cooloff: timedelta) -> None:
    """The case closed: the hold lasts for the cool-off, then ends."""
    for hold in Hold.objects.filter(case=case, until__isnull=True):
        hold.until = now + cooloff
        hold.ended_notified = False
        hold.save(update_fields=["until", "ended_notified"])
        record_person_event(
            hold.person, "hold.cooling_off", now, {"case_id": case.pk, "until": hold.until.isoformat()}
        )


def do_resume_hold(case: Case, now: datetime) -> None:
    """The case reopened: its hold is open-ended again (or starts again if it had ended)."""
    for hold in Hold.objects.filter(case=case).exclude(until__isnull=True):
        ended = hold.ended_notified
        hold.until, hold.ended_notified = None, False
        hold.save(update_fields=["until", "ended_notified"])
        if ended:
            _announce(hold, "hold.started", now)


def do_release_expired_holds(now: datetime, limit: int = 500) -> int:
    """Announce the holds whose cool-off is over; claimed by conditional update."""
    released = 0
    due = Hold.objects.filter(until__lte=now, ended_notified=False).order_by("until")[:limit]
    for hold in list(due.select_related("person")):
        with transaction.atomic():
            claimed = Hold.objects.filter(pk=hold.pk, ended_notified=False, until=hold.until)
            if claimed.update(ended_notified=True):
                _announce(hold, "hold.ended", now)
                released += 1
    return released
