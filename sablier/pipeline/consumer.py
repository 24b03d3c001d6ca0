"""Running a stage on a batch: claim, process, and on failure find the poison item by retrying
one by one, so one bad message never holds back the rest of its batch."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from sablier.pipeline.claims import claim, release
from sablier.pipeline.failures import do_forget_failures, do_record_failure
from sablier.pipeline.stage import Moved, Stage

log = logging.getLogger(__name__)

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Outcome:
    claimed: tuple[int, ...] = ()
    done: tuple[int, ...] = ()
    failed: dict[int, str] = field(default_factory=dict)
    dead: tuple[int, ...] = ()
    handed: dict[str, tuple[int, ...]] = field(default_factory=dict)


def _merge(moves: Sequence[Moved]) -> Moved:
    handed: dict[str, list[int]] = {}
    for moved in moves:
        for stage, ids in moved.handed.items():
            handed.setdefault(stage, []).extend(ids)
    done = tuple(i for moved in moves for i in moved.done)
    return Moved(done=done, handed={stage: tuple(ids) for stage, ids in handed.items()})


def _one_by_one(stage: Stage, ids: Sequence[int]) -> tuple[Moved, dict[int, str]]:
    moves: list[Moved] = []
    errors: dict[int, str] = {}
    for item in ids:
        try:
            moves.append(stage.process([item]))
        except Exception as exc:
            log.exception("%s failed on item %s", stage.name, item)
            errors[item] = f"{type(exc).__name__}: {exc}"
    return _merge(moves), errors


def run_stage(
    stage: Stage, limit: int, now: datetime, ids: Sequence[int] | None = None, owner: str = WORKER_ID
) -> Outcome:
    """Claim up to `limit` pending items (among `ids` when a queue delivered them) and process them."""
    lease = timedelta(seconds=settings.SABLIER.claim_lease_seconds)
    claimed = claim(stage.name, stage.pending, owner, limit, now, ids, lease)
    if not claimed:
        return Outcome()
    errors: dict[int, str] = {}
    try:
        moved = stage.process(claimed)
    except Exception:
        log.warning("%s failed on a batch of %d; retrying them one by one", stage.name, len(claimed))
        moved, errors = _one_by_one(stage, claimed)
    dead = tuple(i for i, error in errors.items() if do_record_failure(stage.name, i, error, now).dead)
    do_forget_failures(stage.name, moved.done)
    # Done rows too: a later stage leases the same row (a mention is read, then refined).
    release(stage.pending, owner, claimed)
    return Outcome(tuple(claimed), moved.done, errors, dead, moved.handed)
