"""Items a pipeline stage failed on: retried with back-off, then kept as dead letters for a person."""

from __future__ import annotations

from django.db import models


class StageFailure(models.Model):
    stage = models.CharField(max_length=30)
    item_id = models.BigIntegerField()
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField()
    dead = models.BooleanField(default=False)
    retry_at = models.DateTimeField()
    first_failed_at = models.DateTimeField()
    last_failed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=("stage", "item_id"), name="one_failure_per_item")]
        indexes = [models.Index(fields=("dead", "-last_failed_at"))]
