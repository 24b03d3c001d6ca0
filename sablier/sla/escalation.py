"""The worker's look at every running clock: warn before a breach, mark and escalate it after.

Each step is claimed by a conditional UPDATE on the clock row, so two workers warn and escalate once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from sablier.cases import states
from sablier.cases.models import Case
from sablier.cases.transitions import record_event
from sablier.events import CaseFlagged
from sablier.notify.actions import do_notify_department
from sablier.organisation.models import Department
from sablier.sla.models import CaseClock
from sablier.sla.policy import current_policy
from sablier.sla.targets import BUSINESS

STOPPED = (states.CLOSED, states.MONITOR_ONLY)
BATCH = 200


@dataclass(frozen=True)
class Step:
    phase: str  # first_response | resolution
    breach: bool
    done: str  # the field set when the phase ended
    due: str  # the instant that triggers the step
    claim: str  # the field the step claims
    also: tuple[str, ...] = ()

    def due_rows(self, now: datetime) -> QuerySet[CaseClock]:
        rows = CaseClock.objects.filter(
            **{f"{self.done}__isnull": True, f"{self.claim}__isnull": True, f"{self.due}__lte": now}
        ).exclude(case__state__in=STOPPED)
        # a warning whose breach has come too is skipped: the breach says it all
        return rows if self.breach else rows.filter(**{f"{self.phase}_due__gt": now})


STEPS = (
    Step("first_response", False, "first_response_at", "first_response_warn", "warned_at"),
    Step("first_response", True, "first_response_at", "first_response_due", "escalated_at"),
    Step("resolution", False, "resolved_at", "resolution_warn", "resolution_warned_at"),
    Step("resolution", True, "resolved_at", "resolution_due", "resolution_escalated_at"),
)
_PHASE = {
    "first_response": ("first response", "première réponse"),
    "resolution": ("resolution", "résolution"),
}


def check_clocks(now: datetime) -> int:
    """Warn, mark and escalate what is due; returns how many steps were taken."""
    taken = 0
    for step in STEPS:
        for clock_id in list(step.due_rows(now).values_list("pk", flat=True)[:BATCH]):
            taken += _take(step, clock_id, now)
    return taken


def _take(step: Step, clock_id: int, now: datetime) -> int:
    changes: dict[str, object] = {step.claim: now}
    if step.breach:
        changes[f"breached_{step.phase}"] = True
    with transaction.atomic():
        claimed = CaseClock.objects.filter(Q(pk=clock_id), Q(**{f"{step.claim}__isnull": True}))
        if not claimed.update(**changes):
            return 0
        clock = CaseClock.objects.select_related("case__department").get(pk=clock_id)
        _tell(step, clock, now)
    return 1


def _tell(step: Step, clock: CaseClock, now: datetime) -> None:
    case: Case = clock.case
    policy = current_policy()
    zone = policy.calendar(policy.calendar_name(clock.department, BUSINESS)).tz
    due = f"{getattr(clock, f'{step.phase}_due').astimezone(zone):%Y-%m-%d %H:%M %Z}"
    en, fr = _PHASE[step.phase]
    kind = "sla.breached" if step.breach else "sla.warning"
    if step.breach:
        text_en = f"SLA breached: #{case.pk} ({case.intent or 'case'}) had no {en} by {due}"
        text_fr = f"Délai dépassé : #{case.pk} ({case.intent or 'dossier'}) sans {fr} au {due}"
    else:
        text_en = f"SLA warning: #{case.pk} ({case.intent or 'case'}) needs its {en} by {due}"
        text_fr = f"Alerte délai : #{case.pk} ({case.intent or 'dossier'}) attend sa {fr} avant le {due}"
    urgency = "critical" if case.urgency == "critical" else "high"
    targets = [clock.department] if clock.department else []
    if step.breach:
        central = Department.objects.filter(is_central=True).values_list("slug", flat=True).first()
        targets += [central] if central and central not in targets else []
    for slug in targets:
        do_notify_department(slug, kind, text_en, text_fr, case_id=case.pk, urgency=urgency)
    detail = {"phase": step.phase, "due": due, "target": clock.target, "notified": targets}
    record_event(case, None, kind.replace(".", " "), CaseFlagged, detail)
