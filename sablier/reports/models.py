"""Objectives and budgets per department and period, and the once-per-period claim of scheduled reports."""

from __future__ import annotations

from django.db import models


class Objective(models.Model):
    """A target on one KPI: "median first response ≤ 60 min in 2026-11". No department = the whole
    organisation; no period = every period. The organisation file's own are replaced when it is applied."""

    department = models.ForeignKey(
        "organisation.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kpi = models.CharField(max_length=40)
    period = models.CharField(max_length=30, blank=True)
    target = models.FloatField()
    from_file = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("department__position", "kpi", "period")
        constraints = [
            models.UniqueConstraint(fields=("department", "kpi", "period"), name="one_objective"),
            models.UniqueConstraint(
                fields=("kpi", "period"),
                condition=models.Q(department__isnull=True),
                name="one_org_objective",
            ),
        ]


class Budget(models.Model):
    """A department's month: people hours at an hourly cost, tools and paid promotion. The `actual_*`
    figures are what was spent, when known; until then the budget is taken as spent."""

    department = models.ForeignKey("organisation.Department", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)  # YYYY-MM
    currency = models.CharField(max_length=3, default="CAD")
    people_hours = models.FloatField(default=0)
    hourly_cost = models.FloatField(default=0)
    tools = models.FloatField(default=0)
    paid_promotion = models.FloatField(default=0)
    actual_people_hours = models.FloatField(null=True, blank=True)
    actual_tools = models.FloatField(null=True, blank=True)
    actual_paid_promotion = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("period", "department__position")
        constraints = [models.UniqueConstraint(fields=("department", "period"), name="one_budget")]


class ReportDispatch(models.Model):
    """One scheduled report (weekly or monthly, of a department or the organisation) for one period;
    the worker claims it by conditional UPDATE, so it leaves once even with several workers."""

    scope = models.CharField(max_length=60)  # a department slug, or "organisation"
    period = models.CharField(max_length=30)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("scope", "period"), name="one_report_per_period")]
