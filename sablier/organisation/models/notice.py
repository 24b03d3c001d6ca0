"""Notices: what a department must know now (a troll to watch, a campaign paused by a crisis)."""

from __future__ import annotations

from django.db import models


class Notice(models.Model):
    department = models.ForeignKey(
        "organisation.Department", on_delete=models.CASCADE, related_name="notices"
    )
    text = models.TextField()
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at", "-id")
