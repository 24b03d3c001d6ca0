"""Answering "may we contact them?" for one identifier or ten thousand, in a few queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import Q

from sablier.organisation.actions import cooloff_days
from sablier.people.identifiers import Identifier
from sablier.people.models import Handle, Hold, OptOut, Person
from sablier.people.policy import HoldFact, OptOutFact, PolicyAnswer, decide

CHUNK = 5000  # bound parameters per query: SQLite allows 32,766 since 3.32, PostgreSQL 65,535


def _chunks(values: list[str] | list[int]) -> Iterator[list[str] | list[int]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _by_handles(network: str, handles: list[str]) -> dict[object, int]:
    found: dict[object, int] = {}
    for chunk in _chunks(handles):
        rows = Handle.objects.filter(network=network, handle__in=chunk).values_list("handle", "person_id")
        found.update({(network, h): p for h, p in rows})
    return found


def _by_emails(emails: list[str]) -> dict[object, int]:
    """The owner of the e-mail address itself; else a handle whose network vouched for that address.
    Audience files only suggest links (people.suggestions), they never answer for someone."""
    found: dict[object, int] = {}
    for chunk in _chunks(emails):
        vouched = Handle.objects.filter(verified_email__in=chunk).exclude(verified_email="")
        vouched = vouched.exclude(network="email")
        found.update(dict(vouched.values_list("verified_email", "person_id")))
        found.update(
            dict(Handle.objects.filter(network="email", handle__in=chunk).values_list("handle", "person_id"))
        )
    return found


def _current_people(ids: list[int]) -> dict[int, int]:
    """Follow merges: an absorbed person answers for the one it was merged into."""
    current: dict[int, int] = {}
    for chunk in _chunks(ids):
        for pk, merged_into in Person.objects.filter(pk__in=chunk).values_list("pk", "merged_into"):
            current[pk] = merged_into or pk
    pending = {k: v for k, v in current.items() if v != k}
    while pending:  # chains of merges are short; resolve them level by level
        merged = Person.objects.filter(pk__in=set(pending.values()), merged_into__isnull=False)
        further = {pk: int(into) for pk, into in merged.values_list("pk", "merged_into") if into}
        pending = {k: further[v] for k, v in pending.items() if v in further}
        current.update(pending)
    return current


def resolve(identifiers: list[Identifier]) -> list[int | None]:
    """The current person behind each identifier (None when unknown), in order."""
    handles: dict[str, list[str]] = defaultdict(list)
    for i in identifiers:
        if i.network and i.handle:
            handles[i.network].append(i.handle)
    known: dict[object, int] = {}
    for network, values in handles.items():
        known.update(_by_handles(network, values))
    known.update(_by_emails([i.email for i in identifiers if i.email]))
    people = _current_people([i.person_id for i in identifiers if i.person_id])
    return [
        people.get(i.person_id)
        if i.person_id
        else known.get(i.email)
        if i.email
        else known.get((i.network, i.handle))
        for i in identifiers
    ]


def facts_of(
    people: Iterable[int], now: datetime
) -> tuple[dict[int, list[HoldFact]], dict[int, list[OptOutFact]]]:
    holds: dict[int, list[HoldFact]] = defaultdict(list)
    opt_outs: dict[int, list[OptOutFact]] = defaultdict(list)
    ids = sorted(set(people))
    for chunk in _chunks(ids):
        active = Hold.objects.filter(person_id__in=chunk).filter(Q(until__isnull=True) | Q(until__gt=now))
        for person, case, reason, dept, until in active.values_list(
            "person_id", "case_id", "reason", "department", "until"
        ):
            holds[person].append(HoldFact(case, reason, dept, until))
        for person, channel, reason in OptOut.objects.filter(person_id__in=chunk).values_list(
            "person_id", "channel", "reason"
        ):
            opt_outs[person].append(OptOutFact(channel, reason))
    return holds, opt_outs


def contact_policy(identifiers: list[Identifier], purpose: str, now: datetime) -> list[PolicyAnswer]:
    people = resolve(identifiers)
    holds, opt_outs = facts_of((p for p in people if p is not None), now)
    days = cooloff_days()
    return [
        decide(
            p, holds.get(p, []) if p else [], opt_outs.get(p, []) if p else [], i.channel, purpose, now, days
        )
        for i, p in zip(identifiers, people, strict=True)
    ]
