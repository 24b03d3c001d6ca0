"""The understand and route stages: read claimed mentions, then assess and route claimed cases.
Each works on its whole batch at once: one transaction, what every item needs read in a few
queries. A failure rolls the batch back and the stage's runner retries its items one by one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery

from sablier.cases import states
from sablier.cases.models import Case
from sablier.cases.triage import do_triage_case
from sablier.learning.bundle import organisation_bundle
from sablier.listen.models import INBOUND, Mention
from sablier.organisation.actions import current_rules
from sablier.per_batch import one_batch, remember
from sablier.pipeline.stage import Moved
from sablier.routing import Decision, Facts, route
from sablier.understand import assess
from sablier.understand.reader import read_many
from sablier.understand.reading import URGENCIES, Reading

HINT_FROM = 0.6


def read_mentions(ids: Sequence[int]) -> Moved:
    """Each unread mention among `ids` gets its reading; new cases then wait for the route stage."""
    pending = list(
        Mention.objects.filter(pk__in=ids, reading__isnull=True)
        .only("pk", "text", "direction", "case_id")
        .order_by("pk")
    )
    if not pending:
        return Moved()
    languages = settings.SABLIER.languages
    bundle = organisation_bundle()
    found = read_many([m.text for m in pending], languages=languages, bundle=bundle, embedded_sets=False)
    with transaction.atomic():
        stored = _store_readings(list(zip(pending, found, strict=True)))
        _raise_urgencies([(m.case_id, reading) for m, reading in stored if m.direction == INBOUND])
    inbound = [m for m, _ in stored if m.direction == INBOUND]
    new_cases = Case.objects.filter(pk__in={m.case_id for m in inbound}, state=states.NEW)
    return Moved(
        done=tuple(m.pk for m, _ in stored),
        handed={
            "route": tuple(sorted(new_cases.values_list("pk", flat=True))),
            "refine": tuple(m.pk for m in inbound),
        },
    )


def _store_readings(read: list[tuple[Mention, Reading]]) -> list[tuple[Mention, Reading]]:
    """Write the readings of the mentions still unread (locked first), in one statement."""
    unread = set(
        Mention.objects.select_for_update()
        .filter(pk__in=[m.pk for m, _ in read], reading__isnull=True)
        .values_list("pk", flat=True)
    )
    stored = [(m, reading) for m, reading in read if m.pk in unread]
    for mention, reading in stored:
        mention.reading = reading.to_json()
    Mention.objects.bulk_update([m for m, _ in stored], ["reading"])
    return stored


def _raise_urgencies(readings: list[tuple[int, Reading]]) -> None:
    """A later message in an open case may make it more urgent, never less; a new case waits for
    the route stage, which reads its opening message."""
    if not readings:
        return
    cases = Case.objects.select_for_update().filter(pk__in={case_id for case_id, _ in readings})
    open_cases = {c.pk: c for c in cases.exclude(state=states.NEW).only("pk", "urgency", "reasons")}
    raised: dict[int, Case] = {}
    for case_id, reading in readings:
        case = open_cases.get(case_id)
        if case is None or not case.urgency:
            continue
        if URGENCIES.index(reading.urgency.value) > URGENCIES.index(case.urgency):
            case.urgency = reading.urgency.value
            case.reasons = [*case.reasons, *reading.urgency.reasons]
            raised[case_id] = case
    for case in raised.values():
        case.save(update_fields=["urgency", "reasons", "updated_at"])


def _facts(mention: Mention, reading: Reading, assessment: str) -> Facts:
    return Facts(
        text=mention.text,
        network=mention.network,
        author=mention.author.handle,
        language=reading.language.value,
        sentiment=reading.sentiment.value,
        intent=reading.intent.value,
        urgency=reading.urgency.value,
        assessment=assessment,
        signals=reading.signals,
    )


def route_cases(ids: Sequence[int]) -> Moved:
    """Cases whose opening message has been read; a case with only our own messages waits."""
    with transaction.atomic(), one_batch():
        return _route_cases(ids)


def _route_cases(ids: Sequence[int]) -> Moved:
    rules = current_rules()
    done: list[int] = []
    for case, first in _new_cases(ids):
        if first is None or first.reading is None:
            continue
        remember(f"first_inbound:{case.pk}", first)  # holds and crisis freezes read it again
        reading = Reading.from_json(first.reading)
        assessment = assess(reading)
        decision = with_learnt_hint(route(_facts(first, reading, assessment.category), rules), reading)
        if do_triage_case(case.pk, reading, assessment, decision, case=case):
            done.append(case.pk)
    return Moved(done=tuple(done))


def _new_cases(ids: Sequence[int]) -> list[tuple[Case, Mention | None]]:
    """The new cases among `ids`, locked, with what triage reads of them (owner, consulted
    departments, SLA clock), each beside the message that opened it from outside."""
    opening = Mention.objects.filter(case_id=OuterRef("pk"), direction=INBOUND).order_by("created_at", "pk")
    cases = list(
        Case.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=ids, state=states.NEW)
        .select_related("department", "clock")
        .prefetch_related("consulted")
        .annotate(opening_id=Subquery(opening.values("pk")[:1]))
        .order_by("pk")
    )
    openings = Mention.objects.select_related("author__person").in_bulk(
        [c.opening_id for c in cases if c.opening_id is not None]
    )
    return [(case, openings.get(case.opening_id)) for case in cases]


def with_learnt_hint(decision: Decision, reading: Reading) -> Decision:
    """The rules route; what the central team's re-routes taught is shown beside them when it differs."""
    learnt = reading.labels.get("department")
    if learnt is None or learnt.value == decision.department or learnt.confidence < HINT_FROM:
        return decision
    hint = f"re-routes so far suggest {learnt.value} ({learnt.confidence:.2f})"
    return replace(decision, reasons=(*decision.reasons, hint))
