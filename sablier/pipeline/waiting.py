"""What each stage still has to do, as conditions on the rows themselves: the database is the
queue of record, whatever the bus carries."""

from __future__ import annotations

from sablier.cases.models import Case
from sablier.cases.states import NEW
from sablier.listen.models import INBOUND, Mention
from sablier.pipeline.claims import Pending, count_pending
from sablier.pipeline.models import StageFailure

UNREAD = Pending(Mention, "t.reading IS NULL")
# A new case waits until one of its inbound messages has been read.
UNROUTED = Pending(
    Case,
    "t.state = %s AND EXISTS (SELECT 1 FROM listen_mention m WHERE m.case_id = t.id"
    " AND m.direction = %s AND m.reading IS NOT NULL)",
    (NEW, INBOUND),
)
UNREFINED = Pending(
    Mention, "t.refined = %s AND t.direction = %s AND t.reading IS NOT NULL", (False, INBOUND)
)
WAITING = {"understand": UNREAD, "route": UNROUTED, "refine": UNREFINED}


def waiting_counts() -> dict[str, dict[str, int]]:
    """Per stage: items waiting, failed items backing off, dead letters."""
    counts: dict[str, dict[str, int]] = {}
    for stage, pending in WAITING.items():
        failures = StageFailure.objects.filter(stage=stage)
        counts[stage] = {
            "waiting": count_pending(pending),
            "retrying": failures.filter(dead=False).count(),
            "dead": failures.filter(dead=True).count(),
        }
    return counts
