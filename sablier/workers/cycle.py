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
from sablier.organisation.actions import current_rules
from sablier.people.holds import do_release_expired_holds
from sablier.reports.schedule import send_reports_when_due
from sablier.sla.escalation import check_clocks
from sablier.webhooks.delivery import deliver_due
from sablier.workers.learning import learn_when_due
from sablier.workers.refine import refine_readings
from sablier.workers.triage import read_new_mentions, triage_new_cases

log = logging.getLogger(__name__)


def _steps(limit: int, now: datetime) -> list[Callable[[], int]]:
    return [
        lambda: poll_connectors(now),
        lambda: read_new_mentions(limit),
        lambda: triage_new_cases(limit, current_rules()),
        refine_readings,
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


def run_single_cycle(limit: int = 500, now: datetime | None = None) -> int:
    """Advance all background work by one step; returns how many items moved. A step that fails
    does not hold the others back: each runs, then the first failure is raised for the caller."""
    now = now or timezone.now()
    moved = 0
    failure: Exception | None = None
    for step in _steps(limit, now):
        try:
            moved += step()
        except Exception as exc:
            log.exception("worker step failed")
            failure = failure or exc
    if moved:
        log.info("worker cycle moved %d items", moved)
    if failure is not None:
        raise failure
    return moved
