"""One step of every background consumer; `sablier worker` repeats it, tests call it once."""

from __future__ import annotations

import logging
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


def run_single_cycle(limit: int = 500, now: datetime | None = None) -> int:
    """Advance all background work by one step; returns how many items moved."""
    now = now or timezone.now()
    moved = poll_connectors(now)
    moved += read_new_mentions(limit)
    moved += triage_new_cases(limit, current_rules())
    moved += refine_readings()
    moved += detect_crises(now)
    moved += do_release_expired_holds(now)
    moved += do_send_due_posts(now)
    moved += deliver_due(now)
    moved += publish_due(now)
    moved += deliver_notifications(now)
    moved += learn_when_due(now)
    moved += check_clocks(now)
    moved += send_reports_when_due(now)
    if moved:
        log.info("worker cycle moved %d items", moved)
    return moved
