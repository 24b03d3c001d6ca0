"""Counting read mentions per topic and minute, resuming after the last mention counted."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.db import transaction

from sablier.crisis.models import CountCursor, TopicCount
from sablier.crisis.topics import Topic, topics_of
from sablier.listen.models import INBOUND, Mention


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def _read_after(mention_id: int, limit: int) -> list[tuple[Any, ...]]:
    """The next read mentions in id order, stopping before the first one not read yet (found on
    the index of unread mentions, so that rows past it are never fetched)."""
    after = Mention.objects.filter(pk__gt=mention_id)
    unread = after.filter(reading__isnull=True).order_by("pk").values_list("pk", flat=True).first()
    if unread is not None:
        after = after.filter(pk__lt=unread)
    batch = after.order_by("pk").values_list("pk", "direction", "text", "created_at", "reading")[:limit]
    read = []
    for row in batch:
        if row[4] is None:  # read again meanwhile? never: a reading is not taken back; kept to be sure
            break
        read.append(row)
    return read


def do_count_mentions(topics: tuple[Topic, ...], limit: int = 5000) -> int:
    """Count the next read mentions (in id order, stopping at one not read yet); returns how many.
    The cursor moves by conditional update, so two workers never count a mention twice."""
    cursor, _ = CountCursor.objects.get_or_create(pk=1)
    read = _read_after(cursor.mention_id, limit)
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
        _add(mentions, negative)
    return len(read)


def _add(mentions: Counter[tuple[str, datetime]], negative: Counter[tuple[str, datetime]]) -> None:
    """Add to each (topic, minute) row, creating those not there yet: a few statements in all. Only
    the worker that moved the cursor writes here, so the rows read are not changed meanwhile."""
    if not mentions:
        return
    topics, minutes = {t for t, _ in mentions}, {m for _, m in mentions}
    candidates = TopicCount.objects.select_for_update().filter(topic__in=topics, minute__in=minutes)
    stored = {(row.topic, row.minute): row for row in candidates if (row.topic, row.minute) in mentions}
    for key, row in stored.items():
        row.mentions += mentions[key]
        row.negative += negative[key]
    TopicCount.objects.bulk_update(list(stored.values()), ["mentions", "negative"])
    TopicCount.objects.bulk_create(
        [
            TopicCount(topic=topic, minute=minute, mentions=count, negative=negative[topic, minute])
            for (topic, minute), count in sorted(mentions.items())
            if (topic, minute) not in stored
        ]
    )
