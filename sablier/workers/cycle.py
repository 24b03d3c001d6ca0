"""One step of every background consumer; `sablier worker` repeats it, tests call it once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from sablier.answer.posts import do_send_due_posts
from sablier.connectors.actions import poll_connectors
from sablier.connectors.publishing import publish_due
from sablier.crisis.detection import detect_crises
from sablier.notify.delivery import deliver_notifications
from sablier.people.holds import do_release_expired_holds
from sablier.pipeline.stage import Stage
from sablier.reports.schedule import send_reports_when_due
from sablier.sla.escalation import check_clocks
from sablier.webhooks.delivery import deliver_due
from sablier.workers.learning import learn_when_due
from sablier.workers.stage_step import advance, moved
from sablier.workers.stages import STAGES

log = logging.getLogger(__name__)


def _stage(stage: Stage, limit: int, now: datetime) -> Callable[[], int]:
    return lambda: moved(advance(stage, limit, now))


def periodic_steps(now: datetime) -> list[Callable[[], int]]:
    """Work found by time or by outbox rows, whatever carries the pipeline's stages."""
    return [
        lambda: detect_crises(now),
        lambda: do_release_expired_holds(now),
        lambda: do_send_due_posts(now),
        lambda: deliver_due(now),
        lambda: publish_due(now),
        lambda: deliver_notifications(now),
        lambda: learn_when_due(now),
        lambda: check_clocks(now),
        lambda: send_reports_when_due(now),
    ]


def stage_steps(stages: tuple[Stage, ...], limit: int, now: datetime) -> list[Callable[[], int]]:
    return [_stage(stage, limit, now) for stage in stages]


def _steps(limit: int, now: datetime) -> list[Callable[[], int]]:
    return [lambda: poll_connectors(now), *stage_steps(STAGES, limit, now), *periodic_steps(now)]


def run_steps(steps: list[Callable[[], int]]) -> int:
    """Run each step; one that fails does not hold the others back: the first failure is raised
    once all have run."""
    total = 0
    failure: Exception | None = None
    for step in steps:
        try:
            total += step()
        except Exception as exc:
            log.exception("worker step failed")
            failure = failure or exc
    if total:
        log.info("worker cycle moved %d items", total)
    if failure is not None:
        raise failure
    return total


def run_single_cycle(limit: int = 500, now: datetime | None = None) -> int:
    """Advance all background work by one step, stages claiming from the database; returns how
    many items moved."""
    return run_steps(_steps(limit, now or timezone.now()))
