"""In-app notifications, each person's choices, department channels and the outbox of messages."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sablier.notify.schedule import HOURLY
from sablier.webhooks.states import DELIVERY_STATES, PENDING

EMAIL, MATRIX, SLACK = "email", "matrix", "slack"
CHANNELS = (EMAIL, MATRIX, SLACK)


class Notification(models.Model):
    """The in-app notification of one person; always written, whatever else they chose."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    urgency = models.CharField(max_length=10)
    text_en = models.TextField()
    text_fr = models.TextField()
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=("user", "read_at", "created_at"), name="notify_inbox_idx")]

    def text(self, language: str) -> str:
        return self.text_fr if language == "fr" else self.text_en


class Preference(models.Model):
    """Where and when one person wants to hear; without a row, the defaults of preferences.py."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=2, default="en")
    immediate_from = models.CharField(max_length=10, default="high")
    digest = models.CharField(max_length=10, default=HOURLY)
    daily_hour = models.PositiveSmallIntegerField(default=8)
    email_on = models.BooleanField(default=False)
    email_address = models.CharField(max_length=254, blank=True)
    matrix_on = models.BooleanField(default=False)
    matrix_address = models.CharField(max_length=255, blank=True)
    slack_on = models.BooleanField(default=False)
    slack_address = models.CharField(max_length=2000, blank=True)


class DepartmentChannel(models.Model):
    """A department's own room, webhook or mailbox (the `notify:` key of the organisation file)."""

    department = models.ForeignKey(
        "organisation.Department", on_delete=models.CASCADE, related_name="notify_channels"
    )
    channel = models.CharField(max_length=10, choices=[(c, c) for c in CHANNELS])
    address = models.CharField(max_length=2000)
    language = models.CharField(max_length=2, default="en")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("department", "channel"), name="one_channel_of_a_kind")
        ]


class Dispatch(models.Model):
    """One message for one address on one channel (the outbox); rows due together for the same
    address with `digest` set leave as one message."""

    channel = models.CharField(max_length=10, choices=[(c, c) for c in CHANNELS])
    address = models.CharField(max_length=2000)
    language = models.CharField(max_length=2)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "organisation.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40)
    urgency = models.CharField(max_length=10)
    text = models.TextField()
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    digest = models.BooleanField(default=False)
    state = models.CharField(max_length=20, default=PENDING, choices=[(s, s) for s in DELIVERY_STATES.states])
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=("state", "next_attempt_at"), name="notify_due_idx")]


class MatrixDirectRoom(models.Model):
    """The room the bot opened to write to one Matrix user directly, kept so it opens only once."""

    matrix_user = models.CharField(max_length=255, unique=True)
    room_id = models.CharField(max_length=255)
