"""Failed items: retried with growing back-off, then dead letters a person retries from the UI."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction

from sablier.bus import emit
from sablier.events import StageItemDead
from sablier.pipeline.models import StageFailure

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF = (timedelta(seconds=5), timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))
MAX_ERROR_LENGTH = 2000


def backoff(attempts: int) -> timedelta:
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def do_record_failure(stage: str, item_id: int, error: str, now: datetime) -> StageFailure:
    """One more failed attempt; the last allowed one makes the item a dead letter."""
    with transaction.atomic():
        failure, _ = StageFailure.objects.select_for_update().get_or_create(
            stage=stage,
            item_id=item_id,
            defaults={"error": "", "retry_at": now, "first_failed_at": now, "last_failed_at": now},
        )
        failure.attempts += 1
        failure.error = error[:MAX_ERROR_LENGTH]
        failure.last_failed_at = now
        failure.dead = failure.attempts >= MAX_ATTEMPTS
        failure.retry_at = now + backoff(failure.attempts)
        failure.save()
        if failure.dead:
            log.error("%s gave up on item %s after %d attempts: %s", stage, item_id, failure.attempts, error)
            emit(StageItemDead(failure_id=failure.pk, stage=stage, item_id=item_id, error=failure.error))
    return failure


def do_forget_failures(stage: str, done: Sequence[int]) -> None:
    """Items that went through after failing earlier leave no failure behind."""
    if done:
        StageFailure.objects.filter(stage=stage, item_id__in=done).delete()
