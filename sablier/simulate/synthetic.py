"""A synthetic profile: arrival rates per intent and hour of day, bilingual, routed by the
organisation's own rules — for trying a model before there is recorded traffic."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sablier.routing.decision import Facts, route
from sablier.simulate.arrivals import Arrival, OrgShape

# cases per day, per intent (a mid-sized regional organisation on public networks)
DAILY = {
    "complaint": 12.0,
    "question": 14.0,
    "praise": 5.0,
    "sales_lead": 3.0,
    "job": 1.0,
    "press": 0.5,
    "partnership": 0.5,
    "crisis": 0.2,
    "spam_troll": 4.0,
    "other": 4.0,
}
# share of a day's arrivals in each hour, local time: quiet nights, a morning and an evening peak
HOURLY = (1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 6, 6, 6, 6, 6, 6, 6, 5, 5, 4, 3, 2, 2)
SENTIMENT = {"complaint": "negative", "crisis": "negative", "spam_troll": "negative", "praise": "positive"}
NETWORKS = ("mastodon", "bluesky", "email")


@dataclass(frozen=True)
class Profile:
    daily: dict[str, float] = field(default_factory=lambda: dict(DAILY))
    hourly: tuple[float, ...] = HOURLY
    weekend: float = 0.6  # Saturday and Sunday volume, relative to a weekday
    french: float = 0.55  # share of French; the rest is English
    technical: float = 0.35  # share of complaints and questions about the app, cards, online banking
    legal: float = 0.04  # share of complaints that name a lawyer or the regulator
    high: float = 0.25  # share of complaints at high urgency


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small hourly means of a profile."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _arrival(
    key: str, at: datetime, intent: str, profile: Profile, rng: random.Random, shape: OrgShape
) -> Arrival:
    negative = intent in ("complaint", "crisis")
    signals = frozenset(
        {"technical"} if intent in ("complaint", "question") and rng.random() < profile.technical else ()
    )
    text = "lawyer" if intent == "complaint" and rng.random() < profile.legal else ""
    urgency = (
        "critical"
        if intent == "crisis"
        else "high"
        if intent == "complaint" and rng.random() < profile.high
        else "normal"
    )
    facts = Facts(
        text=text,
        network=rng.choice(NETWORKS),
        author="",
        language="fr" if rng.random() < profile.french else "en",
        sentiment=SENTIMENT.get(intent, "neutral"),
        intent=intent,
        urgency=urgency,
        assessment="troll" if intent == "spam_troll" else "unhappy_customer" if negative else "positive",
        signals=signals,
    )
    decision = route(facts, shape.rules)
    return Arrival(key, at, intent, urgency, facts.language, facts.sentiment, facts.network, decision)


def synthetic_arrivals(
    profile: Profile, start: datetime, days: int, seed: int, shape: OrgShape
) -> list[Arrival]:
    """Arrivals hour by hour from `start` (aware, local midnight), drawn from the seed alone."""
    rng = random.Random(f"{seed}:synthetic")
    weights = sum(profile.hourly)
    arrivals: list[Arrival] = []
    for hour in range(days * 24):
        at = start + timedelta(hours=hour)
        factor = profile.weekend if at.weekday() >= 5 else 1.0
        for intent, per_day in sorted(profile.daily.items()):
            mean = per_day * factor * profile.hourly[at.hour] / weights
            for _ in range(poisson(rng, mean)):
                moment = at + timedelta(seconds=rng.randrange(3600))
                arrivals.append(_arrival(f"s{len(arrivals) + 1}", moment, intent, profile, rng, shape))
    return sorted(arrivals, key=lambda a: a.at)
