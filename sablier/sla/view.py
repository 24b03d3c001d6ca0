"""A case's clock as the case page and the API show it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sablier.cases.models import Case
from sablier.sla.business_hours import business_time_between
from sablier.sla.models import CaseClock
from sablier.sla.policy import current_policy


def _phase(clock: CaseClock, phase: str, now: datetime) -> dict[str, Any]:
    due: datetime | None = getattr(clock, f"{phase}_due")
    done: datetime | None = getattr(
        clock, "first_response_at" if phase == "first_response" else "resolved_at"
    )
    remaining = None
    if done is None and due is not None:
        calendar = current_policy().calendar(clock.calendar)
        remaining = int(business_time_between(calendar, now, due).total_seconds() // 60)
    return {
        "target_minutes": getattr(clock, f"{phase}_minutes"),
        "due": due,
        "done_at": done,
        "remaining_minutes": remaining,
        "state": clock.phase_state(phase, now),
    }


def sla_summary(case: Case, now: datetime) -> dict[str, Any] | None:
    """{target, calendar, state, running, due, first_response: {...}, resolution: {...}}; None unrouted."""
    clock = CaseClock.objects.filter(case=case).first()
    if clock is None:
        return None
    running = clock.running_phase()
    return {
        "target": clock.target,
        "department": clock.department,
        "calendar": clock.calendar,
        "started_at": clock.started_at,
        "state": clock.state_at(now),
        "running": running,
        "due": getattr(clock, f"{running}_due") if running else None,
        "first_response": _phase(clock, "first_response", now),
        "resolution": _phase(clock, "resolution", now),
    }
