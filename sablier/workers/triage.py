"""The triage consumer: read new mentions, then assess and route new cases."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db import transaction

from sablier.cases import states
from sablier.cases.models import Case
from sablier.cases.queries import first_inbound
from sablier.cases.triage import do_triage_case
from sablier.learning.bundle import organisation_bundle
from sablier.listen.models import Mention
from sablier.routing import Decision, Facts, RuleSet, route
from sablier.understand import assess
from sablier.understand.reader import read_many
from sablier.understand.reading import URGENCIES, Reading

HINT_FROM = 0.6


def read_new_mentions(limit: int) -> int:
    languages = settings.SABLIER.languages
    pending = list(Mention.objects.filter(reading__isnull=True).order_by("pk")[:limit])
    if not pending:
        return 0  # idle cycles need not look for retrained models
    found = read_many([m.text for m in pending], languages=languages, bundle=organisation_bundle())
    for mention, reading in zip(pending, found, strict=True):
        with transaction.atomic():
            stored = Mention.objects.filter(pk=mention.pk, reading__isnull=True).update(
                reading=reading.to_json()
            )
            if stored and mention.direction == "inbound":
                _raise_urgency(mention.case_id, reading)
    return len(pending)


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


def triage_new_cases(limit: int, rules: RuleSet) -> int:
    """Cases whose opening message has been read; a case with only our own messages waits."""
    done = 0
    new_cases = list(
        Case.objects.filter(state=states.NEW).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    for case_id in new_cases:
        first = first_inbound(case_id)
        if first is None or first.reading is None:
            continue
        reading = Reading.from_json(first.reading)
        assessment = assess(reading)
        decision = with_learnt_hint(route(_facts(first, reading, assessment.category), rules), reading)
        done += do_triage_case(case_id, reading, assessment, decision)
    return done


def with_learnt_hint(decision: Decision, reading: Reading) -> Decision:
    """The rules route; what the central team's re-routes taught is shown beside them when it differs."""
    learnt = reading.labels.get("department")
    if learnt is None or learnt.value == decision.department or learnt.confidence < HINT_FROM:
        return decision
    hint = f"re-routes so far suggest {learnt.value} ({learnt.confidence:.2f})"
    return replace(decision, reasons=(*decision.reasons, hint))
