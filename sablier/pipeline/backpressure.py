"""Backpressure at the door: past SABLIER_INGEST_BOUND unread mentions, ingest answers 429 with
Retry-After instead of storing more than the workers can read. Accepted mentions are never dropped."""

from __future__ import annotations

import threading
import time

from django.conf import settings

from sablier.errors import FieldError, Overloaded
from sablier.listen.models import Mention

RECOUNT_SECONDS = 1.0  # the unread count is read at most once a second per process
RETRY_AFTER_SECONDS = 5

_lock = threading.Lock()
_counted: tuple[float, int] = (float("-inf"), 0)


def unread_mentions() -> int:
    global _counted
    with _lock:
        at, count = _counted
        if time.monotonic() - at < RECOUNT_SECONDS:
            return count
    count = Mention.objects.filter(reading__isnull=True).count()
    with _lock:
        _counted = (time.monotonic(), count)
    return count


def forget_count() -> None:
    global _counted
    with _lock:
        _counted = (float("-inf"), 0)


def check_room() -> None:
    bound = settings.SABLIER.ingest_bound
    waiting = unread_mentions()
    if waiting >= bound:
        raise Overloaded(
            f"{waiting} mentions are waiting to be read (the bound is {bound}); try again shortly",
            RETRY_AFTER_SECONDS,
            [FieldError("body", f"retry after {RETRY_AFTER_SECONDS} s")],
        )
