"""One stage's step: claim and process what is pending (or what the queue delivered), then hand the
results to the next stages and publish dead letters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sablier.bus import get_work_queue
from sablier.pipeline.consumer import Outcome, run_stage
from sablier.pipeline.dispatch import hand_over
from sablier.pipeline.stage import Stage


def advance(stage: Stage, limit: int, now: datetime, ids: Sequence[int] | None = None) -> Outcome:
    outcome = run_stage(stage, limit, now, ids)
    hand_over(outcome.handed)
    queue = get_work_queue()
    if queue is not None:
        for item in outcome.dead:
            queue.dead(stage.name, item, outcome.failed[item])
    return outcome


def moved(outcome: Outcome) -> int:
    """Items finished or failed: what tells a draining loop there may be more to do."""
    return len(outcome.done) + len(outcome.failed)
