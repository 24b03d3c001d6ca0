"""The spike detector on synthetic series: the injected burst is found in its bucket, noise is not."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from scipy.stats import poisson

from sablier.crisis.detector import (
    Counts,
    Thresholds,
    judge,
    judge_burst,
    judge_watch,
    poisson_tail,
    scan,
)

LIMITS = Thresholds()
START = datetime(2026, 11, 2, tzinfo=UTC)
WEEK = 7 * 24 * 12  # 5-minute buckets


def noise(
    rate: float, buckets: int, seed: int = 7, negative_share: float = 0.2
) -> tuple[list[int], list[int]]:
    rng = np.random.default_rng(seed)
    mentions = rng.poisson(rate, buckets)
    negative = rng.binomial(mentions, negative_share)
    return [int(m) for m in mentions], [int(n) for n in negative]


@pytest.mark.parametrize(
    ("count", "rate"), [(1, 0.5), (10, 0.01), (12, 4.0), (40, 2.0), (3, 5.0), (90, 30.0)]
)
def test_it_computes_the_poisson_upper_tail(count: int, rate: float) -> None:
    assert poisson_tail(count, rate) == pytest.approx(poisson.sf(count - 1, rate), rel=1e-9, abs=1e-300)


def test_it_detects_the_injected_burst_in_its_bucket() -> None:
    mentions, negative = noise(2.0, 600)
    mentions[450] += 40
    negative[450] += 35
    assert scan(mentions, negative, LIMITS, START) == [450]


@pytest.mark.parametrize("rate", [0.05, 0.3, 1.0, 4.0, 12.0, 30.0])
def test_it_raises_nothing_on_a_week_of_steady_noise(rate: float) -> None:
    mentions, negative = noise(rate, LIMITS.baseline_buckets + WEEK, seed=2026)
    assert scan(mentions, negative, LIMITS, START) == []


def test_it_ignores_a_small_absolute_increase() -> None:
    mentions, negative = [0] * 400, [0] * 400
    mentions[350] = negative[350] = 3  # from nothing to 3 angry posts: unusual, not a crisis
    mentions[360] = negative[360] = 9
    assert scan(mentions, negative, LIMITS, START) == []


def test_it_ignores_a_busy_topic_that_only_doubles() -> None:
    mentions, negative = noise(30.0, 400)
    mentions[350] = 65
    assert scan(mentions, negative, LIMITS, START) == []


def test_it_detects_a_negative_share_spike_without_a_volume_spike() -> None:
    mentions, negative = noise(30.0, 400, negative_share=0.1)
    mentions[350], negative[350] = 45, 30  # half again the volume, ten times the anger
    assert scan(mentions, negative, LIMITS, START) == [350]
    verdict = judge(Counts(45, 30, sum(mentions[62:350]), sum(negative[62:350])), LIMITS)
    assert verdict.kind == "negative" and "30 negative mentions of 45 (67%)" in verdict.statistic


def test_it_needs_the_negative_share_as_well_as_the_negative_volume() -> None:
    verdict = judge(
        Counts(mentions=300, negative=40, baseline_mentions=288 * 20, baseline_negative=288), LIMITS
    )
    assert verdict.fires and verdict.kind == "volume"


def test_it_alerts_once_per_episode_and_again_after_calm() -> None:
    mentions, negative = noise(1.0, 700)
    for i in (400, 401, 402, 405, 406, 600):  # 405 comes back before 30 quiet minutes: same episode
        mentions[i] += 30
    assert scan(mentions, negative, LIMITS, START) == [400, 600]


def test_it_alerts_on_any_watched_keyword_and_on_a_burst_of_crisis_cases() -> None:
    assert judge_watch(1, 60).fires and not judge_watch(0, 60).fires and judge_watch(0, 60).quiet
    assert judge_burst(3, 3, 30).fires and "3 crisis cases in 30 min" in judge_burst(3, 3, 30).statistic
    assert not judge_burst(2, 3, 30).fires
