"""Connector accounts (one configured listener/publisher each), their log, and what they publish."""

from __future__ import annotations

from django.db import models

OK, ERROR, PAUSED, NEW = "ok", "error", "paused", "new"


class ConnectorAccount(models.Model):
    name = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=30)
    network = models.CharField(max_length=30)
    config = models.JSONField(default=dict)
    cursor = models.JSONField(default=dict)
    paused = models.BooleanField(default=False)
    status = models.CharField(max_length=10, default=NEW)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)  # in a row, for the back-off
    next_poll_at = models.DateTimeField(null=True, blank=True)
    fetched = models.PositiveIntegerField(default=0)
    # Set: this account listens but sends nothing; its approved answers wait for a person to post
    # them, with this explanation (a demo account without real credentials).
    publish_by_hand = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)


class ConnectorLog(models.Model):
    """What a connector wants a person to know: a rejected payload and why, a failure, a recovery."""

    account = models.ForeignKey(ConnectorAccount, on_delete=models.CASCADE, related_name="log")
    level = models.CharField(max_length=10)  # info | warning | error
    message = models.TextField()
    detail = models.JSONField(default=dict)
    at = models.DateTimeField()

    class Meta:
        ordering = ("-at", "-id")


class Publication(models.Model):
    """An approved answer on its way to the network, in the thread it answers (an outbox row)."""

    PENDING, SENDING, SENT, FAILED, MANUAL = "pending", "sending", "sent", "failed", "manual"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="publications")
    draft_version = models.PositiveIntegerField()
    account = models.ForeignKey(ConnectorAccount, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField()
    in_reply_to = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, default=PENDING)
    external_id = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("case", "draft_version"), name="one_publication_per_draft")
        ]
