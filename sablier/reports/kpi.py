"""KPI arithmetic over facts already read from the database; pure, so it is checked by hand.

Definitions (the cohort is the cases opened in [start, end), of the department that owns them now):
- volume: cases in the cohort, by intent and by the network of their first inbound message;
- first response: from the case's opening to its first move to `answered`, in minutes; median
  (middle value, mean of the two middle ones) and p90 (nearest rank: the smallest time that at
  least 90 % of answered cases beat or equal); unanswered cases are counted, not timed;
- resolution rate: cases closed at the end of the period (or now) over the cohort less the cases
  left to monitor;
- SLA attainment: of the due times that are set and decided (met, or past due at the end or now), the
  share met in time; first response and resolution apart and together;
- sentiment recovery: of the cases read negative (or corrected to negative), the share whose
  last later inbound message is read neutral or positive;
- cost per resolved case: the period's spend (people hours x hourly cost + tools + paid
  promotion; the budget when no actual was entered) over resolved cases.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

RESPONSE_BUCKETS = ((15, "< 15 min"), (60, "15-60 min"), (240, "1-4 h"), (1440, "4-24 h"))
LAST_BUCKET = "> 24 h"


@dataclass(frozen=True)
class CaseFacts:
    intent: str
    network: str
    opened_at: datetime
    first_answer_at: datetime | None
    closed: bool  # closed at the end of the period
    monitored: bool  # left to monitor at the end of the period
    negative: bool
    recovered: bool


@dataclass(frozen=True)
class ClockFacts:
    first_response_due: datetime | None
    first_response_at: datetime | None
    breached_first_response: bool
    resolution_due: datetime | None
    resolved_at: datetime | None
    breached_resolution: bool


@dataclass(frozen=True)
class Spend:
    people: float = 0.0
    tools: float = 0.0
    promotion: float = 0.0

    @property
    def total(self) -> float:
        return round(self.people + self.tools + self.promotion, 2)


@dataclass(frozen=True)
class Kpis:
    start: datetime
    end: datetime
    department: str | None
    volume: int
    by_intent: dict[str, int]
    by_network: dict[str, int]
    answered: int
    first_response_median_minutes: float | None
    first_response_p90_minutes: float | None
    response_time_distribution: dict[str, int]
    resolved: int
    resolution_rate: float | None
    sla_first_response: float | None
    sla_resolution: float | None
    sla_attainment: float | None
    sla_decided: int
    negative: int
    recovered: int
    sentiment_recovery: float | None
    budget: Spend | None
    spend: Spend | None
    cost_per_resolved: float | None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        for name in ("budget", "spend"):
            money: Spend | None = getattr(self, name)
            data[name] = None if money is None else {**asdict(money), "total": money.total}
        return data


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def nearest_rank(values: list[float], share: float) -> float | None:
    """The smallest value at or above `share` of the values (nearest-rank percentile)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(1, math.ceil(share * len(ordered))) - 1], 1)


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def response_bucket(minutes: float) -> str:
    return next((label for bound, label in RESPONSE_BUCKETS if minutes < bound), LAST_BUCKET)


def _phase(due: datetime | None, done: datetime | None, as_of: datetime) -> tuple[int, int]:
    """(met, decided) for one due time: decided once done or past due, as seen at `as_of`."""
    if due is None:
        return 0, 0
    done = done if done is not None and done < as_of else None
    if done is None and due >= as_of:
        return 0, 0
    return int(done is not None and done <= due), 1


def _sla(clocks: list[ClockFacts], as_of: datetime) -> tuple[int, int, int, int]:
    """(first-response met, decided, resolution met, decided)."""
    first = [_phase(c.first_response_due, c.first_response_at, as_of) for c in clocks]
    resolution = [_phase(c.resolution_due, c.resolved_at, as_of) for c in clocks]
    return (
        sum(m for m, _ in first),
        sum(d for _, d in first),
        sum(m for m, _ in resolution),
        sum(d for _, d in resolution),
    )


def compute_kpis(
    cases: list[CaseFacts],
    clocks: list[ClockFacts],
    window: tuple[datetime, datetime, str | None],
    budget: Spend | None = None,
    spend: Spend | None = None,
    as_of: datetime | None = None,
) -> Kpis:
    """`as_of` (default: the end) is when SLA due times are judged: a running period's are not yet missed."""
    start, end, department = window
    minutes = [(c.first_answer_at - c.opened_at).total_seconds() / 60 for c in cases if c.first_answer_at]
    resolved = sum(c.closed for c in cases)
    fr_met, fr_all, res_met, res_all = _sla(clocks, min(end, as_of or end))
    negative = [c for c in cases if c.negative]
    recovered = sum(c.recovered for c in negative)
    distribution = Counter(response_bucket(m) for m in minutes)
    labels = [label for _, label in RESPONSE_BUCKETS] + [LAST_BUCKET]
    return Kpis(
        start=start,
        end=end,
        department=department,
        volume=len(cases),
        by_intent=dict(sorted(Counter(c.intent or "unknown" for c in cases).items())),
        by_network=dict(sorted(Counter(c.network or "unknown" for c in cases).items())),
        answered=len(minutes),
        first_response_median_minutes=median(minutes),
        first_response_p90_minutes=nearest_rank(minutes, 0.9),
        response_time_distribution={label: distribution.get(label, 0) for label in labels},
        resolved=resolved,
        resolution_rate=rate(resolved, len(cases) - sum(c.monitored for c in cases)),
        sla_first_response=rate(fr_met, fr_all),
        sla_resolution=rate(res_met, res_all),
        sla_attainment=rate(fr_met + res_met, fr_all + res_all),
        sla_decided=fr_all + res_all,
        negative=len(negative),
        recovered=recovered,
        sentiment_recovery=rate(recovered, len(negative)),
        budget=budget,
        spend=spend,
        cost_per_resolved=round(spend.total / resolved, 2) if spend is not None and resolved else None,
    )
