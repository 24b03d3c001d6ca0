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


class CannedAnswer(models.Model):
    """A reply template in one language, for one department or (department null) for all of them."""

    department = models.ForeignKey(
        "organisation.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=2)  # "fr" or "en"
    name = models.CharField(max_length=60)  # a slug-like key, e.g. "apology"
    text = models.TextField()
    from_file = models.BooleanField(default=False)  # declared by the organisation file, which owns it
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "language", "id")
        constraints = [
            # NULLs are distinct in a unique index: organisation-wide answers need their own.
            models.UniqueConstraint(
                fields=("department", "language", "name"),
                condition=models.Q(department__isnull=False),
                name="one_canned_answer_per_department",
            ),
            models.UniqueConstraint(
                fields=("language", "name"),
                condition=models.Q(department__isnull=True),
                name="one_canned_answer_for_all",
            ),
        ]
