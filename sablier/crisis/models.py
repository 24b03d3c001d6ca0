"""Crisis detection's state: its settings, per-minute counts per topic, alarms and crisis rooms."""

from __future__ import annotations

from django.db import models


class CrisisSettings(models.Model):
    """The organisation file's `crisis:` section as applied (one row; absent means the defaults)."""

    raw = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)


class CountCursor(models.Model):
    """The last mention counted (one row): counting resumes after it, so nothing is counted twice."""

    mention_id = models.BigIntegerField(default=0)


class TopicCount(models.Model):
    """Mentions (and negative ones) of a topic in one minute; buckets are summed from minutes so
    that `bucket_minutes` can change without recounting."""

    topic = models.CharField(max_length=200)
    minute = models.DateTimeField()
    mentions = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("topic", "minute"), name="one_count_per_minute")]
        indexes = [models.Index(fields=("minute", "topic"))]


class CrisisRoom(models.Model):
    """A crisis: its room is the internal thread of `room_case`, owned by PR; `cases` are its members."""

    topic = models.CharField(max_length=200)  # the topic whose alert opened it
    topics = models.JSONField(default=list)  # every topic that joined it since
    kind = models.CharField(max_length=20)  # volume | negative | watch | burst
    statistic = models.TextField()
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    room_case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="crisis_room")
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="crisis_rooms")

    class Meta:
        ordering = ("-opened_at", "-id")


class TopicAlarm(models.Model):
    """A topic whose alert was raised: no new alert until it has been quiet for `calm_minutes`."""

    topic = models.CharField(max_length=200, unique=True)
    raised_at = models.DateTimeField()
    quiet_since = models.DateTimeField(null=True, blank=True)
    room = models.ForeignKey(CrisisRoom, null=True, on_delete=models.SET_NULL, related_name="alarms")
