"""The second pass: mentions the router has read are re-read for sentiment and complaint by the
slower, more accurate models (`understand/second_pass.py`), in batches, within seconds. A case's
sentiment follows its opening message's refined reading unless a person corrected it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from django.db import transaction

from sablier.cases import states
from sablier.cases.models import Case
from sablier.cases.queries import first_inbound
from sablier.learning.bundle import organisation_bundle
from sablier.listen.models import INBOUND, Mention
from sablier.pipeline.stage import Moved
from sablier.understand.reader import read_embedded_sets
from sablier.understand.reading import Reading
from sablier.understand.second_pass import refine_many

MARK = "second_pass"  # set in the stored reading once refined, beside the `refined` column


def _follow(case_id: int, mention_id: int, before: Reading, after: Reading) -> None:
    """The case's sentiment moves with its opening message's, unless a person set it."""
    case = Case.objects.select_for_update().filter(pk=case_id).exclude(state=states.NEW).first()
    opening = first_inbound(case_id)
    if case is None or opening is None or opening.pk != mention_id:
        return
    stored = case.understanding.get("reading", {}).get("sentiment", {})
    corrected = stored.get("confidence") == 1.0
    if corrected or case.sentiment != before.sentiment.value or after.sentiment.value == case.sentiment:
        return
    case.sentiment = after.sentiment.value
    case.understanding = {
        **case.understanding,
        "reading": {**case.understanding.get("reading", {}), "sentiment": after.sentiment.to_json()},
    }
    case.reasons = [
        *case.reasons,
        f"second pass: sentiment {before.sentiment.value} → {after.sentiment.value}",
    ]
    case.save(update_fields=["sentiment", "understanding", "reasons", "updated_at"])


def refine_mentions(ids: Sequence[int]) -> Moved:
    pending = list(
        Mention.objects.filter(pk__in=ids, direction=INBOUND, reading__isnull=False, refined=False).order_by(
            "pk"
        )
    )
    if not pending:
        return Moved()
    before = [Reading.from_json(m.reading or {}) for m in pending]
    texts, bundle = [m.text for m in pending], organisation_bundle()
    refined = refine_many(texts, before, bundle=bundle)
    sets = read_embedded_sets(texts, bundle)
    after = [replace(r, labels={**r.labels, **more}) for r, more in zip(refined, sets, strict=True)]
    done: list[int] = []
    for mention, old, new in zip(pending, before, after, strict=True):
        with transaction.atomic():
            stored = Mention.objects.filter(pk=mention.pk, refined=False).update(
                reading={**new.to_json(), MARK: True}, refined=True
            )
            if stored:
                _follow(mention.case_id, mention.pk, old, new)
                done.append(mention.pk)
    return Moved(done=tuple(done))
