"""Figures over time for charts: inbound messages per day (or week) by the sentiment read."""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime

from sablier.listen.models import INBOUND, Mention
from sablier.reports.measure import sentiment_of
from sablier.reports.periods import buckets

SENTIMENTS = ("negative", "neutral", "positive")


def sentiment_over_time(
    start: datetime, end: datetime, department: str | None
) -> tuple[list[datetime], dict[str, list[int]]]:
    """(the start of each bucket, counts per sentiment per bucket) of the inbound messages of the
    span, on the department's cases."""
    edges = buckets(start, end)
    starts = [first for first, _ in edges]
    counts = {sentiment: [0] * len(edges) for sentiment in SENTIMENTS}
    mentions = Mention.objects.filter(direction=INBOUND, created_at__gte=start, created_at__lt=end)
    if department:
        mentions = mentions.filter(case__department__slug=department)
    for created_at, reading in mentions.values_list("created_at", "reading"):
        sentiment = sentiment_of(reading)
        if sentiment in counts and edges:
            counts[sentiment][bisect_right(starts, created_at) - 1] += 1
    return starts, counts
