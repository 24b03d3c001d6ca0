"""A stage's consumer on the work queue (NATS mode): take what was delivered, claim those rows,
process them, ack each message whose rows are done, and ask again later for the others."""

from __future__ import annotations

import logging
import threading

from django.utils import timezone

from sablier.bus import Delivery, WorkQueue
from sablier.lib.worker_db import drop_broken_connections
from sablier.pipeline.claims import still_pending
from sablier.pipeline.stage import Stage
from sablier.workers.stage_step import advance

log = logging.getLogger(__name__)

BATCH = 64  # messages per fetch: as many as are there, up to this; one when the queue is shallow
WAIT_SECONDS = 1.0
MAX_RETRY_DELAY = 60.0


def _settle(deliveries: list[Delivery], left: set[int]) -> None:
    for delivery in deliveries:
        if left & set(delivery.ids):
            delivery.retry(min(MAX_RETRY_DELAY, 2.0**delivery.deliveries))
        else:
            delivery.ack()


def consume_once(stage: Stage, queue: WorkQueue, wait: float = WAIT_SECONDS) -> int:
    deliveries = queue.take(stage.name, BATCH, wait)
    if not deliveries:
        return 0
    ids = sorted({item for delivery in deliveries for item in delivery.ids})
    try:
        outcome = advance(stage, len(ids), timezone.now(), ids)
        left = set(still_pending(stage.name, stage.pending, ids))
    except Exception:
        log.exception("%s: batch of %d items failed; the queue will deliver it again", stage.name, len(ids))
        outcome, left = None, set(ids)
    finally:
        drop_broken_connections()
    _settle(deliveries, left)
    return len(outcome.done) if outcome else 0


def consume_forever(stage: Stage, queue: WorkQueue, stopping: threading.Event) -> None:
    while not stopping.is_set():
        try:
            consume_once(stage, queue)
        except Exception:
            log.exception("%s consumer failed; going on", stage.name)
            stopping.wait(1.0)
