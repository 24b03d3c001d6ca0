"""The internal thread of a case: comments, and the people and departments they @mention."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sablier.cases.models.case import Case


class Comment(models.Model):
    """The internal thread where departments discuss a case; never published."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")


class ThreadMention(models.Model):
    """An @mention in the thread: the person or department is told, and may then see the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="thread_mentions")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="thread_mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    department = models.ForeignKey("organisation.Department", null=True, blank=True, on_delete=models.CASCADE)


class CaseViewer(models.Model):
    """Who has the case open now (a heartbeat), so that two people on one case see each other."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="viewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    seen_at = models.DateTimeField()
    drafting = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("case", "user"), name="one_viewer_row")]
