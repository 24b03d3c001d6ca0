from __future__ import annotations

from django.db import models


class LabelExample(models.Model):
    """One text with the label a person (or an imported file) gave it, in one label set.

    The shipped dimensions ("intent", "sentiment") and the organisation's own sets
    ("product", "banking77", "department") are all label sets.
    """

    SOURCES = (("correction", "correction"), ("import", "import"))

    label_set = models.CharField(max_length=64)
    text = models.TextField()
    label = models.CharField(max_length=100)
    source = models.CharField(max_length=20, choices=SOURCES)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["label_set", "id"])]


class TrainedHead(models.Model):
    """The latest head trained for a label set; every worker loads it from here."""

    label_set = models.CharField(max_length=64, unique=True)
    artefact = models.BinaryField()
    labels = models.JSONField(default=list)
    examples = models.PositiveIntegerField()
    last_example_id = models.BigIntegerField(default=0)
    accuracy = models.FloatField(null=True)
    method = models.CharField(max_length=200)
    trained_at = models.DateTimeField()
