"""The reconciliation pass (NATS mode): the database is the truth, so items a stage still has to
do, unclaimed across two passes in a row, go back on the queue: a lost or never-sent message, a
worker killed before it acked, a publish that failed while NATS restarted."""

from __future__ import annotations

from datetime import datetime

from sablier.bus import WorkQueue
from sablier.pipeline.claims import unclaimed
from sablier.workers.stages import STAGES

SCAN_LIMIT = 10_000


class Reconciler:
    def __init__(self) -> None:
        self._seen: dict[str, set[int]] = {}

    def run(self, queue: WorkQueue, now: datetime) -> int:
        """Re-queue what was already waiting, unclaimed, at the previous pass; returns how many."""
        requeued = 0
        queue.ensure()
        for stage in STAGES:
            waiting = set(unclaimed(stage.name, stage.pending, now, SCAN_LIMIT))
            lost = sorted(waiting & self._seen.get(stage.name, set()))
            if lost and queue.put(stage.name, lost):
                requeued += len(lost)
            self._seen[stage.name] = waiting
        return requeued
