"""One row per model: the figures the comparison is about, computed from the simulated outcomes."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime

from sablier.simulate.engine import Outcome
from sablier.simulate.staffing import Staffing
from sablier.sla.business_hours import business_time_between
from sablier.sla.targets import ALWAYS


@dataclass(frozen=True)
class ModelResult:
    model: str
    cases: int  # cases that needed an answer (monitored-only cases are triaged, not answered)
    answered: int
    median_first_response: float | None  # minutes of wall-clock time, over answered cases
    p90_first_response: float | None
    breach_rate: float  # share past their target, on the target's clock (unanswered = breach)
    handoffs_per_case: float
    approvals_per_case: float
    wrong_function: float  # share answered by another department than the one the routing rules name
    cost: float  # people time spent, times the hourly cost

    def to_json(self) -> dict[str, object]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile; None when there is nothing to rank."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(round(share * len(ordered), 9))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def minutes(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 60


def breached(outcome: Outcome, staffing: Staffing) -> bool:
    if outcome.answered is None:
        return True
    if outcome.clock == ALWAYS:
        return minutes(outcome.arrived, outcome.answered) > outcome.target
    calendar = staffing.team(outcome.owner).calendar
    spent = business_time_between(calendar, outcome.arrived, outcome.answered).total_seconds() / 60
    return spent > outcome.target


def summarise(model: str, outcomes: list[Outcome], staffing: Staffing, cost: float) -> ModelResult:
    needed = [o for o in outcomes if not o.monitor_only]
    answered = [o for o in needed if o.answered is not None]
    times = [minutes(o.arrived, o.answered) for o in answered if o.answered is not None]
    count = len(needed) or 1
    return ModelResult(
        model=model,
        cases=len(needed),
        answered=len(answered),
        median_first_response=statistics.median(times) if times else None,
        p90_first_response=percentile(times, 0.9),
        breach_rate=sum(breached(o, staffing) for o in needed) / count,
        handoffs_per_case=sum(o.handoffs for o in needed) / count,
        approvals_per_case=sum(o.approvals for o in needed) / count,
        wrong_function=sum(o.drafter != o.knows for o in answered) / (len(answered) or 1),
        cost=cost,
    )
