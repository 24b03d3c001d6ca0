"""Where webhooks go (Endpoint) and the outbox of what must be sent there (Delivery)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sablier.webhooks.states import DELIVERY_STATES, PENDING


class Endpoint(models.Model):
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=200)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event for one endpoint; `body` is the exact JSON sent, so every retry is byte-identical."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    body = models.TextField()
    attempts = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=20, default=PENDING, choices=[(s, s) for s in DELIVERY_STATES.states])
    next_attempt_at = models.DateTimeField()
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=("state", "next_attempt_at"), name="webhooks_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint_id} ({self.state})"
