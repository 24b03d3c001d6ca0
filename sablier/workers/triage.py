"""The understand and route stages: read claimed mentions, then assess and route claimed cases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from django.conf import settings
from django.db import transaction

from sablier.cases import states
from sablier.cases.models import Case
from sablier.cases.queries import first_inbound
from sablier.cases.triage import do_triage_case
from sablier.learning.bundle import organisation_bundle
from sablier.listen.models import INBOUND, Mention
from sablier.organisation.actions import current_rules
from sablier.per_batch import one_batch
from sablier.pipeline.stage import Moved
from sablier.routing import Decision, Facts, route
from sablier.understand import assess
from sablier.understand.reader import read_many
from sablier.understand.reading import URGENCIES, Reading

HINT_FROM = 0.6


def read_mentions(ids: Sequence[int]) -> Moved:
    """Each unread mention among `ids` gets its reading; new cases then wait for the route stage."""
    pending = list(Mention.objects.filter(pk__in=ids, reading__isnull=True).order_by("pk"))
    if not pending:
        return Moved()
    languages = settings.SABLIER.languages
    bundle = organisation_bundle()
    found = read_many([m.text for m in pending], languages=languages, bundle=bundle, embedded_sets=False)
    done: list[int] = []
    for mention, reading in zip(pending, found, strict=True):
        with transaction.atomic():
            stored = Mention.objects.filter(pk=mention.pk, reading__isnull=True).update(
                reading=reading.to_json()
            )
            if stored and mention.direction == INBOUND:
                _raise_urgency(mention.case_id, reading)
        if stored:
            done.append(mention.pk)
    inbound = [m for m in pending if m.direction == INBOUND and m.pk in done]
    new_cases = Case.objects.filter(pk__in={m.case_id for m in inbound}, state=states.NEW)
    return Moved(
        done=tuple(done),
        handed={
            "route": tuple(sorted(new_cases.values_list("pk", flat=True))),
            "refine": tuple(m.pk for m in inbound),
        },
    )


def _raise_urgency(case_id: int, reading: Reading) -> None:
    """A later message in an open case may make it more urgent, never less."""
    case = Case.objects.select_for_update().filter(pk=case_id).exclude(state=states.NEW).first()
    if case is None or not case.urgency:
        return
    if URGENCIES.index(reading.urgency.value) > URGENCIES.index(case.urgency):
        case.urgency = reading.urgency.value
        case.reasons = [*case.reasons, *reading.urgency.reasons]
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
    with one_batch():
        return _route_cases(ids)


def _route_cases(ids: Sequence[int]) -> Moved:
    rules = current_rules()
    done: list[int] = []
    for case_id in (
        Case.objects.filter(pk__in=ids, state=states.NEW).order_by("pk").values_list("pk", flat=True)
    ):
        first = first_inbound(case_id)
        if first is None or first.reading is None:
            continue
        reading = Reading.from_json(first.reading)
        assessment = assess(reading)
        decision = with_learnt_hint(route(_facts(first, reading, assessment.category), rules), reading)
        if do_triage_case(case_id, reading, assessment, decision):
            done.append(case_id)
    return Moved(done=tuple(done))


def with_learnt_hint(decision: Decision, reading: Reading) -> Decision:
    """The rules route; what the central team's re-routes taught is shown beside them when it differs."""
    learnt = reading.labels.get("department")
    if learnt is None or learnt.value == decision.department or learnt.confidence < HINT_FROM:
        return decision
    hint = f"re-routes so far suggest {learnt.value} ({learnt.confidence:.2f})"
    return replace(decision, reasons=(*decision.reasons, hint))
