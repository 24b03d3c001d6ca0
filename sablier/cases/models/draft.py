"""Reply drafts, with versions, and the approvals a draft needs before it goes public."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sablier.cases.models.case import Case


class Draft(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField()
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("version",)
        constraints = [models.UniqueConstraint(fields=("case", "version"), name="one_draft_version")]


class Approval(models.Model):
    """One approver's say on one draft version: the rule that asked for it, and the decision."""

    PENDING, APPROVED, CHANGES, REJECTED = "pending", "approved", "changes_requested", "rejected"
    SUPERSEDED = "superseded"  # a newer draft, or another approver sent this version back
    DECISIONS = (APPROVED, CHANGES, REJECTED)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    draft_version = models.PositiveIntegerField()
    approver = models.CharField(max_length=80)  # department slug, slug:lead, or senior
    reason = models.TextField()
    state = models.CharField(max_length=20, default=PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("draft_version", "id")
