"""What the organisation sends out: posts and campaigns, and what happened to each recipient."""

from __future__ import annotations

from django.conf import settings
from django.db import models

SCHEDULED, SENDING, PAUSED, SENT, CANCELLED = "scheduled", "sending", "paused", "sent", "cancelled"
POST_STATES = (SCHEDULED, SENDING, PAUSED, SENT, CANCELLED)
DELIVERED, REFUSED, FAILED = "delivered", "refused", "failed"


class OutgoingPost(models.Model):
    purpose = models.CharField(max_length=20)  # "service" or "marketing" (the contact policy's purposes)
    channel = models.CharField(max_length=30)  # "email" or a network
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    topics = models.JSONField(default=list)  # keywords a crisis on the same topic pauses the post for
    department = models.ForeignKey("organisation.Department", null=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    scheduled_at = models.DateTimeField()
    state = models.CharField(max_length=20, default=SCHEDULED, choices=[(s, s) for s in POST_STATES])
    state_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=("state", "scheduled_at"))]


class OutgoingRecipient(models.Model):
    post = models.ForeignKey(OutgoingPost, on_delete=models.CASCADE, related_name="recipients")
    handle = models.ForeignKey("people.Handle", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, blank=True)  # empty until sent: delivered, refused, failed
    reason = models.TextField(blank=True)
    at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("post", "handle"), name="one_recipient_per_post")]
