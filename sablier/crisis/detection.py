"""detect_crises(now): one worker step — count new mentions, judge every topic, raise or re-arm alarms."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Sum

from sablier.cases.models import Case
from sablier.crisis.config import CrisisConfig
from sablier.crisis.counting import do_count_mentions
from sablier.crisis.detector import Alarm, Counts, Verdict, judge, judge_burst, judge_watch, next_alarm
from sablier.crisis.models import CrisisRoom, TopicAlarm, TopicCount
from sablier.crisis.rooms import do_add_topic, do_join_room, do_open_room
from sablier.crisis.settings_store import current_crisis_config
from sablier.crisis.topics import BURST, Topic, topics_of, tracked_topics
from sablier.listen.models import INBOUND, Mention
from sablier.organisation.actions import current_rules

MINUTE = timedelta(minutes=1)
# When two topics' evidence is equally strong, the more specific one names the room.
SPECIFIC = ("watch:", "burst:", "topic:", "keyword:", "intent:")


def _precedence(topic: str, verdict: Verdict) -> tuple[float, int, str]:
    rank = next((i for i, prefix in enumerate(SPECIFIC) if topic.startswith(prefix)), len(SPECIFIC))
    return verdict.p, rank, topic


def _sums(start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
    rows = (
        TopicCount.objects.filter(minute__gte=start, minute__lt=end)
        .values("topic")
        .annotate(m=Sum("mentions"), n=Sum("negative"))
    )
    return {r["topic"]: (int(r["m"]), int(r["n"])) for r in rows}


def _recent(now: datetime, minutes: int) -> list[Mention]:
    since = now - timedelta(minutes=minutes)
    mentions = Mention.objects.filter(direction=INBOUND, created_at__gte=since, created_at__lte=now)
    return list(mentions.exclude(reading__isnull=True).select_related("case"))


def _crisis_cases(recent: list[Mention]) -> set[int]:
    return {m.case_id for m in recent if m.reading and m.reading["intent"]["value"] == "crisis"}


def verdicts(config: CrisisConfig, topics: tuple[Topic, ...], now: datetime) -> dict[str, Verdict]:
    """Every tracked topic's verdict on the bucket that ends now, against the baseline before it."""
    limits = config.limits
    end = now.replace(second=0, microsecond=0) + MINUTE  # the current minute counts, as far as it goes
    start = end - limits.bucket
    current = _sums(start, end)
    baseline = _sums(start - limits.bucket * limits.baseline_buckets, start)
    watched = {t.key for t in topics if t.watched}
    found: dict[str, Verdict] = {}
    raised = set(TopicAlarm.objects.values_list("topic", flat=True))
    for topic in sorted(set(current) | set(baseline) | raised):
        if topic in watched or topic == BURST:
            continue
        (m, n), (bm, bn) = current.get(topic, (0, 0)), baseline.get(topic, (0, 0))
        found[topic] = judge(Counts(m, n, bm, bn), limits)
    watch_counts = _sums(end - timedelta(minutes=config.gather_minutes), end)
    for topic in sorted(watched):
        found[topic] = judge_watch(watch_counts.get(topic, (0, 0))[0], config.gather_minutes)
    crisis = _crisis_cases(_recent(now, config.burst_minutes))
    found[BURST] = judge_burst(len(crisis), config.burst_cases, config.burst_minutes)
    return found


def gather(topic: str, kind: str, recent: list[Mention], topics: tuple[Topic, ...]) -> list[Case]:
    """The cases whose recent messages count towards the topic (only the negative ones for a
    negative spike); a burst gathers the crisis-intent cases."""
    found: dict[int, Case] = {}
    for mention in recent:
        reading = mention.reading or {}
        if kind == "negative" and reading["sentiment"]["value"] != "negative":
            continue
        keys = [BURST] if reading["intent"]["value"] == "crisis" else []
        if topic in keys or topic in topics_of(mention.text, reading["intent"]["value"], topics):
            found.setdefault(mention.case_id, mention.case)
    return list(found.values())


def _room_for(cases: list[Case]) -> CrisisRoom | None:
    """An open room that already holds some of these cases: the same crisis seen through another topic."""
    ids = [c.pk for c in cases]
    return CrisisRoom.objects.filter(closed_at__isnull=True, cases__in=ids).order_by("-opened_at").first()


def detect_crises(now: datetime) -> int:
    """Raise an alert once per topic episode, open or grow its room; returns rooms opened and cases joined."""
    config = current_crisis_config()
    topics = tracked_topics(config, current_rules())
    do_count_mentions(topics)
    found = verdicts(config, topics, now)
    alarms = {a.topic: a for a in TopicAlarm.objects.select_related("room")}
    recent = _recent(now, config.gather_minutes)
    moved = 0
    # The strongest evidence first, so that it names the room the others join.
    for topic in sorted(found, key=lambda t: _precedence(t, found[t])):
        verdict, row = found[topic], alarms.get(topic)
        state = Alarm(row is not None, row.quiet_since if row else None)
        after, alert = next_alarm(state, verdict, now, config.limits.calm_minutes)
        if alert:
            moved += _raise(topic, verdict, gather(topic, verdict.kind, recent, topics), now)
        elif row is not None and not after.raised:
            row.delete()
        elif row is not None:
            if row.quiet_since != after.quiet_since:
                row.quiet_since = after.quiet_since
                row.save(update_fields=["quiet_since"])
            if row.room is not None and row.room.closed_at is None and not verdict.quiet:
                moved += do_join_room(row.room, gather(topic, verdict.kind, recent, topics), now)
    return moved


def _raise(topic: str, verdict: Verdict, cases: list[Case], now: datetime) -> int:
    room = _room_for(cases)
    if room is None:
        room = do_open_room(topic, verdict, cases, now)
        moved = 1 + room.cases.count()
    else:
        do_add_topic(room, topic, verdict)
        moved = do_join_room(room, cases, now)
    TopicAlarm.objects.create(topic=topic, raised_at=now, room=room)
    return moved
