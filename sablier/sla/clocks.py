"""Starting and stopping a case's clock as it moves: routed, answered, closed, reopened."""

from __future__ import annotations

from datetime import datetime, timedelta

from sablier.cases.models import Case
from sablier.per_batch import insert_later
from sablier.sla.business_hours import add_business_time, business_time_between
from sablier.sla.models import CaseClock
from sablier.sla.policy import Policy, current_policy


def _minutes(duration: timedelta) -> int:
    return int(duration.total_seconds() // 60)


def _schedule(clock: CaseClock, case: Case, policy: Policy) -> None:
    """Targets and due times for the current owner, counted from when the clock started."""
    department = case.department.slug if case.department else ""
    resolved = policy.resolve(case.intent, case.urgency, department)
    clock.department, clock.target = department, resolved.name
    clock.calendar = policy.calendar_name(department, resolved.clock)
    calendar = policy.calendar(clock.calendar)
    clock.first_response_minutes = _minutes(resolved.first_response)
    clock.resolution_minutes = _minutes(resolved.resolution)
    start = clock.started_at
    clock.first_response_due = add_business_time(calendar, start, resolved.first_response)
    clock.first_response_warn = add_business_time(calendar, start, resolved.first_response * resolved.warn_at)
    clock.resolution_due = add_business_time(calendar, start, resolved.resolution)
    clock.resolution_warn = add_business_time(calendar, start, resolved.resolution * resolved.warn_at)


def _known_without_clock(case: Case) -> bool:
    """Loaded with `select_related("clock")` and none found (the route stage's new cases): taken at
    its word, with no query. A clock seen on the case is always read again."""
    return Case.clock.is_cached(case) and getattr(case, "clock", None) is None


def _stored_clock(case: Case) -> CaseClock | None:
    return None if _known_without_clock(case) else CaseClock.objects.filter(case=case).first()


def do_start_clock(case: Case, now: datetime) -> CaseClock:
    """Start the clock when a case is first routed; on a later routing (hand-off, re-route, new
    reading) the targets and due times follow the new owner, counted from the first start."""
    clock = _stored_clock(case)
    policy = current_policy()
    if clock is None:
        clock = CaseClock(case=case, started_at=now)
        _schedule(clock, case, policy)
        insert_later(clock)  # in the route stage's batch, with the other new clocks
        case.clock = clock
        return clock
    department = case.department.slug if case.department else ""
    wanted = policy.resolve(case.intent, case.urgency, department).name
    if clock.resolved_at is None and (clock.department, clock.target) != (department, wanted):
        _schedule(clock, case, policy)
        if clock.first_response_at is None and clock.escalated_at is None:
            clock.warned_at = None  # the new owner is warned in turn
        clock.save()
    return clock


def do_mark_first_response(case: Case, now: datetime) -> None:
    """The case reached `answered` for the first time; a late answer is a breach even if no worker saw it."""
    late = CaseClock.objects.filter(case=case, first_response_at__isnull=True, first_response_due__lt=now)
    late.update(breached_first_response=True)
    CaseClock.objects.filter(case=case, first_response_at__isnull=True).update(first_response_at=now)


def do_mark_resolved(case: Case, now: datetime) -> None:
    late = CaseClock.objects.filter(case=case, resolved_at__isnull=True, resolution_due__lt=now)
    late.update(breached_resolution=True)
    CaseClock.objects.filter(case=case, resolved_at__isnull=True).update(resolved_at=now)


def do_resume_clock(case: Case, now: datetime) -> None:
    """A reopened case resumes its resolution clock with the business time it had left when closed."""
    clock = CaseClock.objects.filter(case=case, resolved_at__isnull=False).first()
    if clock is None or clock.resolution_due is None or clock.resolved_at is None:
        return
    calendar = current_policy().calendar(clock.calendar)
    left = business_time_between(calendar, clock.resolved_at, clock.resolution_due)
    if left > timedelta(0):
        clock.resolution_due = add_business_time(calendar, now, left)
        warn_left = business_time_between(calendar, clock.resolved_at, clock.resolution_warn or now)
        clock.resolution_warn = add_business_time(calendar, now, max(warn_left, timedelta(0)))
    clock.resolved_at = None
    clock.save(update_fields=["resolution_due", "resolution_warn", "resolved_at"])


def do_stop_clock(case: Case) -> None:
    """A case left to monitor needs no answer: a clock with nothing to show yet is dropped."""
    if _known_without_clock(case):
        return
    CaseClock.objects.filter(
        case=case, first_response_at__isnull=True, escalated_at__isnull=True, breached_first_response=False
    ).delete()
