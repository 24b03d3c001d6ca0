"""The suppression list marketing tools load: full, or incremental since a cursor."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max, Q

from sablier.organisation.actions import cooloff_days
from sablier.people.contact_policy import facts_of
from sablier.people.models import Handle, Hold, OptOut, SuppressionChange
from sablier.people.policy import MARKETING, decide

Row = tuple[int, str, str, bool, str, str]


def _suppressed_now(now: datetime) -> set[int]:
    held = Hold.objects.filter(Q(until__isnull=True) | Q(until__gt=now)).values_list("person_id", flat=True)
    return set(held) | set(OptOut.objects.values_list("person_id", flat=True))


def _rows(people: set[int], now: datetime, only_blocked: bool) -> list[Row]:
    holds, opt_outs = facts_of(people, now)
    days, rows = cooloff_days(), []
    handles = Handle.objects.filter(person_id__in=people).order_by("person_id", "network", "handle")
    for person, network, handle in handles.values_list("person_id", "network", "handle").iterator():
        answer = decide(
            person, holds.get(person, []), opt_outs.get(person, []), network, MARKETING, now, days
        )
        if not (only_blocked and answer.may_contact):
            until = answer.hold_until.isoformat() if answer.hold_until else ""
            rows.append((person, network, handle, answer.may_contact, until, " | ".join(answer.reasons)))
    return rows


def suppression_rows(since: int | None, now: datetime) -> tuple[list[Row], int]:
    """Rows and the cursor to ask with next time."""
    latest = SuppressionChange.objects.aggregate(latest=Max("pk"))["latest"] or 0
    if since is None:
        return _rows(_suppressed_now(now), now, only_blocked=True), latest
    changed = set(
        SuppressionChange.objects.filter(pk__gt=since, pk__lte=latest).values_list("person_id", flat=True)
    )
    return _rows(changed, now, only_blocked=False), latest
