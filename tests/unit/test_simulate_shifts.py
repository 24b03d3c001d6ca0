"""Nobody works off shift: a case that arrives after hours waits for the next opening."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import yaml

from sablier.routing import Decision
from sablier.simulate.arrivals import Arrival
from sablier.simulate.engine import Hub
from sablier.simulate.handling import Handling
from sablier.simulate.shape import shape_from_mapping
from sablier.simulate.staffing import default_staffing, parse_staffing

TORONTO = ZoneInfo("America/Toronto")


def test_it_delays_an_after_hours_case_to_the_next_opening() -> None:
    shape = shape_from_mapping(
        yaml.safe_load(resources.files("sablier.organisation").joinpath("default.yaml").read_text())
    )
    base = default_staffing(shape.departments)
    office = {"calendars": {"office": {"timezone": "America/Toronto", "hours": {"mon-fri": "09:00-17:00"}}}}
    staffing = parse_staffing({**office, "departments": {"central": {"calendar": "office"}}}, base, "central")
    friday_night = datetime(2026, 11, 20, 20, 0, tzinfo=TORONTO)
    decision = Decision("customer-service", (), False, "complaint", ())
    complaint = Arrival("1", friday_night, "complaint", "normal", "fr", "negative", "mastodon", decision)
    for model in ("hub-and-spoke", "solo"):
        hub = Hub(model, shape, staffing, Handling(1), friday_night - timedelta(minutes=1))
        [outcome] = hub.run([complaint])
        assert outcome.answered is not None
        local = outcome.answered.astimezone(TORONTO)
        assert (local.date(), time(9) < local.time() < time(17)) == (datetime(2026, 11, 23).date(), True)
