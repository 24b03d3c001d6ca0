"""Spike detection on counts per time bucket — pure: numbers in, verdicts out, `now` injected.

The statistic. For each topic the hub counts mentions, and negative mentions, per bucket
(`bucket_minutes`, 5 by default). The baseline rate λ is the mean count per bucket over the
previous `baseline_buckets` buckets (288 x 5 min = the last 24 hours), with half a mention added
so that a topic never seen before still has a small rate (λ = (total + 0.5) / N). A bucket holding
c mentions is a **volume spike** when all three hold:

1. c ≥ `min_count` (10): a topic that goes from 0 to 3 mentions is not a crisis, whatever the odds;
2. c ≥ `ratio` x λ (3): at least three times the usual rate, which absorbs the daily rhythm and the
   extra variance of real traffic that a pure Poisson model underestimates;
3. P(X ≥ c) ≤ `p_value` (1e-6) for X ~ Poisson(λ): the count is very unlikely as ordinary noise.
   With ~2,000 buckets a week and a few dozen topics, 1e-6 keeps false alarms from steady noise
   well under one a year while 40 mentions in 5 minutes on a quiet topic gives p ≈ 1e-60.

A **negative spike** applies the same three tests to the negative mentions against their own
baseline, and also needs negatives to be at least `negative_share` (0.5) of the bucket's mentions:
volume *and* share, so a launch day with many happy posts is not one, nor a single angry post.

An alarm is raised once per episode: after it fires, the topic is *quiet* when its count is below
half of the level that would fire (max(min_count, ratio x λ) / 2), and the alarm re-arms only after
`calm_minutes` (30) of continuous quiet. Watched keywords fire at the first mention; a burst of
crisis-intent cases fires at `burst_cases` (3) cases within `burst_minutes` (30).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Thresholds:
    bucket_minutes: int = 5
    baseline_buckets: int = 288
    min_count: int = 10
    ratio: float = 3.0
    p_value: float = 1e-6
    negative_share: float = 0.5
    calm_minutes: int = 30

    @property
    def bucket(self) -> timedelta:
        return timedelta(minutes=self.bucket_minutes)


@dataclass(frozen=True)
class Counts:
    """One bucket of a topic, and the totals of its baseline buckets before it."""

    mentions: int
    negative: int
    baseline_mentions: int
    baseline_negative: int


@dataclass(frozen=True)
class Verdict:
    fires: bool
    quiet: bool
    kind: str  # volume | negative | watch | burst | "" when nothing fired
    statistic: str  # the numbers behind it, for the case's reasons and the API
    statistic_fr: str = ""
    p: float = 1.0
    rule: str = ""  # the test it passed, in words, for the room case's reasons


def explain(limits: Thresholds) -> str:
    hours = limits.bucket_minutes * limits.baseline_buckets / 60
    return (
        f"a spike is at least {limits.min_count} mentions in {limits.bucket_minutes} min, "
        f"{limits.ratio:g} times the mean rate of the previous {hours:g} h, "
        f"with Poisson upper-tail p <= {limits.p_value:g}; "
        f"a negative spike also needs {limits.negative_share:.0%} negative mentions"
    )


def poisson_tail(count: int, rate: float) -> float:
    """P(X ≥ count) for X ~ Poisson(rate), summed in log space so that tiny tails do not vanish."""
    if count <= 0:
        return 1.0
    if count <= rate:
        return 1.0 - sum(math.exp(_log_term(i, rate)) for i in range(count))
    total, i = 0.0, count
    while True:
        term = math.exp(_log_term(i, rate))
        total += term
        i += 1
        if term < total * 1e-17 or term == 0.0:
            return min(total, 1.0)


def _log_term(i: int, rate: float) -> float:
    return -rate + i * math.log(rate) - math.lgamma(i + 1)


def _spike(count: int, baseline: int, limits: Thresholds) -> tuple[bool, float, float]:
    """Whether `count` is a spike over `baseline` (a total over the baseline buckets), its p, and λ."""
    rate = (baseline + 0.5) / limits.baseline_buckets
    if count < limits.min_count or count < limits.ratio * rate:
        return False, 1.0, rate
    p = poisson_tail(count, rate)
    return p <= limits.p_value, p, rate


def judge(counts: Counts, limits: Thresholds) -> Verdict:
    """Is this bucket a volume or a negative spike? Quiet is below half of what would fire."""
    volume, p_volume, rate = _spike(counts.mentions, counts.baseline_mentions, limits)
    negative, p_negative, negative_rate = _spike(counts.negative, counts.baseline_negative, limits)
    share = counts.negative / counts.mentions if counts.mentions else 0.0
    negative = negative and share >= limits.negative_share
    quiet = counts.mentions < max(limits.min_count, limits.ratio * rate) / 2
    minutes = f"{limits.bucket_minutes} min"
    if negative:
        usual = f"{negative_rate:.2f}"
        en = f"{counts.negative} negative mentions of {counts.mentions} ({share:.0%}) in {minutes}"
        fr = f"{counts.negative} mentions négatives sur {counts.mentions} ({share:.0%}) en {minutes}"
        return Verdict(
            True,
            False,
            "negative",
            f"{en} against {usual} usual (Poisson p = {p_negative:.1e})",
            f"{fr} contre {usual} d'habitude (Poisson p = {p_negative:.1e})",
            p_negative,
            explain(limits),
        )
    if volume:
        p = p_volume
        return Verdict(
            True,
            False,
            "volume",
            f"{counts.mentions} mentions in {minutes} against {rate:.2f} usual (Poisson p = {p:.1e})",
            f"{counts.mentions} mentions en {minutes} contre {rate:.2f} d'habitude (Poisson p = {p:.1e})",
            p_volume,
            explain(limits),
        )
    return Verdict(False, quiet, "", "")


def judge_watch(count: int, minutes: int) -> Verdict:
    """A watched keyword: any mention is an alert; quiet when none in the window."""
    if count:
        return Verdict(
            True,
            False,
            "watch",
            f"{count} mention(s) of a watched keyword in {minutes} min",
            f"{count} mention(s) d'un mot surveillé en {minutes} min",
            0.0,
            "any mention of a watched keyword is an alert",
        )
    return Verdict(False, True, "", "")


def judge_burst(cases: int, needed: int, minutes: int) -> Verdict:
    """A burst of crisis-intent cases: `needed` within `minutes`; quiet below it."""
    if cases >= needed:
        return Verdict(
            True,
            False,
            "burst",
            f"{cases} crisis cases in {minutes} min (alert from {needed})",
            f"{cases} dossiers de crise en {minutes} min (alerte dès {needed})",
            0.0,
            f"{needed} crisis-intent cases within {minutes} min are an alert",
        )
    return Verdict(False, True, "", "")


@dataclass(frozen=True)
class Alarm:
    """Where a topic's episode stands: raised (and since when it has been quiet), or armed."""

    raised: bool
    quiet_since: datetime | None = None


def next_alarm(alarm: Alarm, verdict: Verdict, now: datetime, calm_minutes: int) -> tuple[Alarm, bool]:
    """The topic's next alarm state, and whether to alert now (once per episode)."""
    if not alarm.raised:
        return (Alarm(True), True) if verdict.fires else (alarm, False)
    if not verdict.quiet:
        return Alarm(True), False
    since = alarm.quiet_since or now
    if now - since >= timedelta(minutes=calm_minutes):
        return Alarm(False), False
    return Alarm(True, since), False


def scan(mentions: Sequence[int], negative: Sequence[int], limits: Thresholds, start: datetime) -> list[int]:
    """Replay a series bucket by bucket (the first `baseline_buckets` only fill the baseline):
    the indexes of the buckets that raised an alert."""
    alarm, raised = Alarm(False), []
    n = limits.baseline_buckets
    for i in range(n, len(mentions)):
        counts = Counts(mentions[i], negative[i], sum(mentions[i - n : i]), sum(negative[i - n : i]))
        now = start + limits.bucket * (i + 1)
        alarm, alert = next_alarm(alarm, judge(counts, limits), now, limits.calm_minutes)
        if alert:
            raised.append(i)
    return raised
