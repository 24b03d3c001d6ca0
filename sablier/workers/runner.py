"""The worker process. Alone (in-process bus) it cycles through the first pass (understand, route)
while there is work and sleeps until an event says there is more; the second pass (refine, tens of
messages a second) has a thread of its own, so that it never holds a new case back, and the
periodic steps run at most once a second while the first pass is busy. With a work queue (NATS)
each stage has its own consumer thread, and the main loop runs the periodic steps and the
reconciliation pass."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from sablier.bus import WorkQueue, get_bus, get_work_queue
from sablier.connectors.actions import poll_connectors
from sablier.lib.worker_db import drop_broken_connections
from sablier.workers.consume import consume_forever
from sablier.workers.cycle import periodic_steps, run_steps, stage_steps
from sablier.workers.reconcile import Reconciler
from sablier.workers.stage_step import advance, moved
from sablier.workers.stages import REFINE, ROUTE, STAGES, UNDERSTAND

log = logging.getLogger(__name__)

FIRST_PASS = (UNDERSTAND, ROUTE)
BATCH = 200  # items a first-pass stage claims per step: on SQLite its write lock is held that long
REFINE_BATCH = 16  # the second pass: about a second of work, so that stopping stays prompt
PERIODIC_EVERY = 1.0  # seconds between two runs of the periodic steps while the first pass is busy


class Worker:
    def __init__(self, idle_seconds: float = 2.0, reconcile_seconds: float | None = None) -> None:
        self.idle_seconds = idle_seconds
        self.reconcile_seconds = reconcile_seconds or float(settings.SABLIER.reconcile_seconds)
        self.wake = threading.Event()
        self.stopping = threading.Event()

    def _on_event(self, event: dict[str, Any]) -> None:
        if event.get("name") == "mention.received":
            self.wake.set()

    def run_forever(self) -> None:
        queue = get_work_queue()
        if queue is None:
            self._cycle_forever()
        else:
            self._consume_forever(queue)

    def _cycle_forever(self) -> None:
        refiner = threading.Thread(target=self._refine_forever, name="sablier-refine", daemon=True)
        refiner.start()
        unsubscribe = get_bus().subscribe(self._on_event)
        periodic_at = 0.0
        try:
            while not self.stopping.is_set():
                self.wake.clear()
                done = self._guarded(lambda: run_steps(stage_steps(FIRST_PASS, BATCH, timezone.now())))
                if not done or time.monotonic() - periodic_at >= PERIODIC_EVERY:
                    done += self._guarded(self._periodic)
                    periodic_at = time.monotonic()
                if not done:
                    self.wake.wait(self.idle_seconds)
        finally:
            unsubscribe()
            refiner.join()
            connection.close()

    def _refine_forever(self) -> None:
        try:
            while not self.stopping.is_set():
                if not self._guarded(lambda: moved(advance(REFINE, REFINE_BATCH, timezone.now()))):
                    self.stopping.wait(self.idle_seconds)
        finally:
            connection.close()  # kept open between steps (CONN_MAX_AGE): the thread's own

    def _consume_forever(self, queue: WorkQueue) -> None:
        consumers = [
            threading.Thread(
                target=consume_forever, args=(stage, queue, self.stopping), name=f"sablier-{stage.name}"
            )
            for stage in STAGES
        ]
        for thread in consumers:
            thread.start()
        reconciler = Reconciler()
        next_pass = 0.0
        while not self.stopping.is_set():
            self._guarded(self._periodic)
            if timezone.now().timestamp() >= next_pass:
                requeued = self._guarded(lambda: reconciler.run(queue, timezone.now()))
                if requeued:
                    log.warning("reconciliation put %d items back on the queue", requeued)
                next_pass = timezone.now().timestamp() + self.reconcile_seconds
            self.stopping.wait(self.idle_seconds)
        for thread in consumers:
            thread.join()

    @staticmethod
    def _periodic() -> int:
        now = timezone.now()
        return run_steps([lambda: poll_connectors(now), *periodic_steps(now)])

    @staticmethod
    def _guarded(step: Any) -> int:
        try:
            return int(step())
        except Exception:
            log.exception("worker cycle failed; retrying")
            return 0
        finally:
            drop_broken_connections()

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name="sablier-worker", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
