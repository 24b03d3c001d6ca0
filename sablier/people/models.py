"""Who writes to the organisation: a person, their handles on every network and channel,
and what the whole company must respect about contacting them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Person(models.Model):
    display_name = models.CharField(max_length=300, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.display_name or f"person {self.pk}"


class Handle(models.Model):
    """One identifier of a person: a network handle, an e-mail address, a phone number, a CRM id."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="handles")
    network = models.CharField(max_length=30)
    handle = models.CharField(max_length=300)
    display_name = models.CharField(max_length=300, blank=True)
    profile_url = models.CharField(max_length=1000, blank=True)
    avatar_url = models.CharField(max_length=1000, blank=True)
    verified_email = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("network", "handle"), name="one_handle_per_identifier")
        ]
        # Most handles have no verified e-mail: a partial index keeps the planner on it (a full one,
        # '' nearly everywhere, looks useless to SQLite's statistics, which then scans the table).
        indexes = [
            models.Index(
                fields=("verified_email",),
                name="handle_verified_email",
                condition=~models.Q(verified_email=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.handle} ({self.network})"


class PersonEvent(models.Model):
    """The audit trail of identity and contact decisions: merges, splits, holds, opt-outs."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    verb = models.CharField(max_length=40)
    detail = models.JSONField(default=dict)
    at = models.DateTimeField()

    class Meta:
        ordering = ("at", "id")


class Hold(models.Model):
    """A service hold: no promotional contact while a case is open, and for a cool-off after it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="holds")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="holds")
    reason = models.CharField(max_length=200)
    department = models.CharField(max_length=60, blank=True)
    started_at = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True)  # null while the case is open
    ended_notified = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("person", "case"), name="one_hold_per_case")]
        indexes = [models.Index(fields=("until", "ended_notified"))]


class OptOut(models.Model):
    """A permanent refusal of contact, per channel ("*" for every channel)."""

    ALL_CHANNELS = "*"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="opt_outs")
    channel = models.CharField(max_length=30)
    reason = models.CharField(max_length=200)
    source = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=("person", "channel"), name="one_opt_out_per_channel")]


class SuppressionChange(models.Model):
    """An append-only log of contact-policy changes, the cursor of the incremental export."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    change = models.CharField(max_length=30)  # hold.started, hold.ended, opt_out.added, person.merged
    detail = models.JSONField(default=dict)
    at = models.DateTimeField()
