"""The clock of each case against its service-level targets, in the owning department's business time."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone


class CaseClock(models.Model):
    """One per case once it is routed. Due times are absolute instants computed in business time;
    the `*_at` fields are when it happened; `breached_*` are set once, when the due time passes first."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="clock")
    department = models.CharField(max_length=60)  # the owner the targets were computed for
    target = models.CharField(max_length=120, blank=True)  # which SLA target applied, e.g. "complaint/high"
    started_at = models.DateTimeField()
    first_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    breached_first_response = models.BooleanField(default=False)
    breached_resolution = models.BooleanField(default=False)
    # Added with the business-hours clocks: warned_at/escalated_at belong to the first response, these
    # to the resolution; `*_warn` are the instants a warning is due; targets are kept as computed.
    calendar = models.CharField(max_length=60, blank=True)  # "quebec", "france", "24/7", or the org's
    first_response_minutes = models.PositiveIntegerField(default=0)
    resolution_minutes = models.PositiveIntegerField(default=0)
    first_response_warn = models.DateTimeField(null=True, blank=True)
    resolution_warn = models.DateTimeField(null=True, blank=True)
    resolution_warned_at = models.DateTimeField(null=True, blank=True)
    resolution_escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=("first_response_at", "first_response_due")),
            models.Index(fields=("resolved_at", "resolution_due")),
        ]

    def running_phase(self) -> str | None:
        """The clock that runs now: first response until answered, then resolution until closed."""
        if self.first_response_at is None:
            return "first_response"
        return "resolution" if self.resolved_at is None else None

    def phase_state(self, phase: str, now: datetime) -> str:
        """ok | warning | breached, or met once the phase ended in time."""
        done = getattr(self, "first_response_at" if phase == "first_response" else "resolved_at")
        due, warn = getattr(self, f"{phase}_due"), getattr(self, f"{phase}_warn")
        if getattr(self, f"breached_{phase}") or (done is None and due is not None and now >= due):
            return "breached"
        if done is not None:
            return "met"
        return "warning" if warn is not None and now >= warn else "ok"

    def state_at(self, now: datetime) -> str:
        """ok | warning | breached for the case as a whole."""
        states = [self.phase_state(phase, now) for phase in ("first_response", "resolution")]
        running = self.running_phase()
        if "breached" in states:
            return "breached"
        return self.phase_state(running, now) if running else "ok"

    @property
    def badge(self) -> str:
        """For inbox cards: warning or breached, else ""."""
        state = self.state_at(timezone.now())
        return state if state in ("warning", "breached") else ""


class SlaPolicy(models.Model):
    """The organisation file's `slas:` and `calendars:` sections and each department's `calendar:`,
    as last applied; one row. Without it the defaults apply (Québec calendar everywhere)."""

    slas = models.JSONField(default=list)
    calendars = models.JSONField(default=dict)
    department_calendars = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
