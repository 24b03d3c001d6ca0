"""The bottom of the hourglass: a case is a public conversation the organisation owns."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sablier.cases.states import CASE_STATES, NEW


class Case(models.Model):
    state = models.CharField(max_length=30, default=NEW, choices=[(s, s) for s in CASE_STATES.states])
    department = models.ForeignKey(
        "organisation.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    consulted = models.ManyToManyField("organisation.Department", blank=True, related_name="consulted_on")
    language = models.CharField(max_length=10, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)
    intent = models.CharField(max_length=20, blank=True)
    urgency = models.CharField(max_length=10, blank=True)
    assessment = models.CharField(max_length=30, blank=True)
    assessment_outcome = models.CharField(max_length=30, blank=True)
    understanding = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_message_at = models.DateTimeField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    # A worker's lease on the case while the route stage works on it (`pipeline/claims.py`).
    claimed_by = models.CharField(max_length=80, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=("state", "department", "-id")),
            models.Index(fields=("department", "-id")),
            models.Index(fields=("id",), condition=models.Q(state=NEW), name="case_new"),
        ]


class CaseEvent(models.Model):
    """The audit trail: who did what to a case, and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    verb = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    detail = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("at", "id")


class RouteCorrection(models.Model):
    """A re-route by a person: the training example a later learner uses."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="corrections")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    from_department = models.CharField(max_length=60, blank=True)
    to_department = models.CharField(max_length=60)
    reason = models.TextField(blank=True)
    text = models.TextField()
    understanding = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
