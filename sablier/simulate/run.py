"""simulate(): the same traffic, the same staffing and the same drawn work through each model."""

from __future__ import annotations

from datetime import datetime, timedelta

from sablier.routing.operating_models import MODEL_SLUGS
from sablier.simulate.arrivals import Arrival, OrgShape
from sablier.simulate.engine import Hub
from sablier.simulate.handling import Handling
from sablier.simulate.staffing import Staffing
from sablier.simulate.summary import ModelResult, summarise


def simulate(
    arrivals: list[Arrival],
    shape: OrgShape,
    staffing: Staffing,
    seed: int,
    models: tuple[str, ...] = MODEL_SLUGS,
) -> list[ModelResult]:
    ordered = sorted(arrivals, key=lambda a: (a.at, a.key))
    origin = (ordered[0].at if ordered else datetime(2026, 1, 1).astimezone()) - timedelta(minutes=1)
    results = []
    for model in models:
        hub = Hub(model, shape, staffing, Handling(seed), origin)
        outcomes = hub.run(ordered)
        results.append(summarise(model, outcomes, staffing, hub.cost()))
    return results
