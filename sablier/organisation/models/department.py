"""The organisation, its departments (the bottom of the hourglass) and who belongs where."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    operating_model = models.CharField(max_length=40, default="hub-and-spoke")
    routing_rules = models.JSONField(default=dict)
    hold_cooloff_days = models.PositiveIntegerField(default=14)
    guardrails = models.JSONField(default=dict)  # the `guardrails:` mapping of the organisation file
    structure = models.JSONField(default=dict)  # routing.structure.Structure.to_json()
    approval_rules = models.JSONField(default=list)  # the `approvals:` list of the organisation file

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120)
    is_central = models.BooleanField(default=False)
    private = models.BooleanField(
        default=False
    )  # HR, legal: their cases are seen by them and the central team
    assignment = models.CharField(max_length=20, default="manual")  # manual | round-robin | least-loaded
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "slug")

    def __str__(self) -> str:
        return self.slug

    def name(self, language: str) -> str:
        return self.name_fr if language == "fr" else self.name_en


class Membership(models.Model):
    MEMBER, LEAD = "member", "lead"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, default=MEMBER, choices=[(MEMBER, MEMBER), (LEAD, LEAD)])
    level = models.CharField(max_length=20, default="enrolled")  # trainee | enrolled | senior

    class Meta:
        constraints = [models.UniqueConstraint(fields=("user", "department"), name="one_membership")]
