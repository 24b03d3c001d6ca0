"""The top of the hourglass: raw inbound payloads and the public messages themselves."""

from __future__ import annotations

from django.db import models

INBOUND, OUTBOUND = "inbound", "outbound"


class RawInbound(models.Model):
    """Stored before anything else, behind the idempotency key (network, external id)."""

    network = models.CharField(max_length=30)
    external_id = models.CharField(max_length=500)
    payload = models.JSONField()
    source = models.CharField(max_length=40, default="api")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("network", "external_id"), name="raw_inbound_idempotency")
        ]


class Mention(models.Model):
    raw = models.OneToOneField(RawInbound, on_delete=models.PROTECT, related_name="mention")
    network = models.CharField(max_length=30)
    external_id = models.CharField(max_length=500)
    author = models.ForeignKey("people.Handle", on_delete=models.PROTECT, related_name="mentions")
    direction = models.CharField(max_length=10, default=INBOUND)
    text = models.TextField()
    url = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField()
    in_reply_to = models.CharField(max_length=500, blank=True, db_index=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="mentions")
    reading = models.JSONField(null=True, blank=True)
    refined = models.BooleanField(default=False)  # read again by the second pass
    # A worker's lease on the mention while a pipeline stage works on it (`pipeline/claims.py`).
    claimed_by = models.CharField(max_length=80, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(fields=("network", "external_id"), name="one_mention_per_post")
        ]
        indexes = [
            models.Index(fields=("case", "created_at")),
            models.Index(fields=("id",), condition=models.Q(reading__isnull=True), name="mention_unread"),
            models.Index(
                fields=("id",),
                condition=models.Q(refined=False, direction=INBOUND, reading__isnull=False),
                name="mention_unrefined",
            ),
        ]
