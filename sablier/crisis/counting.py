"""Counting read mentions per topic and minute, resuming after the last mention counted."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db import transaction
from django.db.models import F

from sablier.crisis.models import CountCursor, TopicCount
from sablier.crisis.topics import Topic, topics_of
from sablier.listen.models import INBOUND, Mention


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def do_count_mentions(topics: tuple[Topic, ...], limit: int = 5000) -> int:
    """Count the next read mentions (in id order, stopping at one not read yet); returns how many.
    The cursor moves by conditional update, so two workers never count a mention twice."""
    cursor, _ = CountCursor.objects.get_or_create(pk=1)
    batch = list(
        Mention.objects.filter(pk__gt=cursor.mention_id)
        .order_by("pk")
        .values_list("pk", "direction", "text", "created_at", "reading")[:limit]
    )
    read = []
    for row in batch:
        if row[4] is None:
            break
        read.append(row)
    if not read:
        return 0
    mentions: Counter[tuple[str, datetime]] = Counter()
    negative: Counter[tuple[str, datetime]] = Counter()
    for _, direction, text, created_at, reading in read:
        if direction != INBOUND or reading is None:
            continue
        for topic in topics_of(text, reading["intent"]["value"], topics):
            mentions[topic, _minute(created_at)] += 1
            negative[topic, _minute(created_at)] += reading["sentiment"]["value"] == "negative"
    with transaction.atomic():
        moved = CountCursor.objects.filter(pk=1, mention_id=cursor.mention_id).update(mention_id=read[-1][0])
        if not moved:
            return 0
        for (topic, minute), count in sorted(mentions.items()):
            _add(topic, minute, count, negative[topic, minute])
    return len(read)


def _add(topic: str, minute: datetime, count: int, negative: int) -> None:
    rows = TopicCount.objects.filter(topic=topic, minute=minute)
    if not rows.update(mentions=F("mentions") + count, negative=F("negative") + negative):
        TopicCount.objects.create(topic=topic, minute=minute, mentions=count, negative=negative)
