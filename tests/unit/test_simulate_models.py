"""The simulator: deterministic under a seed, one row per model, and each model's path as the routing
package says (solo: no approvals or hand-offs; centralized: round-trips to the function that knows)."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
import yaml

from sablier.routing.operating_models import MODEL_SLUGS
from sablier.simulate.arrivals import OrgShape
from sablier.simulate.run import simulate
from sablier.simulate.shape import shape_from_mapping
from sablier.simulate.staffing import Staffing, default_staffing
from sablier.simulate.summary import ModelResult
from sablier.simulate.synthetic import Profile, synthetic_arrivals
from sablier.simulate.table import as_csv, as_json, as_table

MONDAY = datetime(2026, 11, 16, tzinfo=ZoneInfo("America/Toronto"))


@pytest.fixture(scope="module")
def shape() -> OrgShape:
    text = resources.files("sablier.organisation").joinpath("default.yaml").read_text(encoding="utf-8")
    return shape_from_mapping(yaml.safe_load(text))


@pytest.fixture(scope="module")
def staffing(shape: OrgShape) -> Staffing:
    return default_staffing(shape.departments, {"central": 2, "customer-service": 2}, {"central": "senior"})


def run(shape: OrgShape, staffing: Staffing, seed: int, profile: Profile | None = None) -> list[ModelResult]:
    arrivals = synthetic_arrivals(profile or Profile(), MONDAY, 3, seed, shape)
    return simulate(arrivals, shape, staffing, seed)


def by_model(results: list[ModelResult]) -> dict[str, ModelResult]:
    return {r.model: r for r in results}


def test_it_prints_the_same_table_for_the_same_seed(shape: OrgShape, staffing: Staffing) -> None:
    first, again = run(shape, staffing, 7), run(shape, staffing, 7)
    assert as_table(first) == as_table(again) and as_json(first) == as_json(again)
    assert as_csv(first) == as_csv(again)


def test_it_differs_with_another_seed(shape: OrgShape, staffing: Staffing) -> None:
    assert as_json(run(shape, staffing, 7)) != as_json(run(shape, staffing, 8))


def test_it_names_each_model_once_by_its_identifier(shape: OrgShape, staffing: Staffing) -> None:
    results = run(shape, staffing, 1)
    assert [r.model for r in results] == list(MODEL_SLUGS)
    rows = as_table(results).splitlines()[1:]
    assert [row.split()[0] for row in rows] == list(MODEL_SLUGS)


def test_it_has_no_approvals_or_hand_offs_when_solo(shape: OrgShape, staffing: Staffing) -> None:
    solo = by_model(run(shape, staffing, 1))["solo"]
    assert solo.answered > 0
    assert (solo.approvals_per_case, solo.handoffs_per_case) == (0, 0)


def test_it_hands_off_more_under_centralized_than_hub_and_spoke(shape: OrgShape, staffing: Staffing) -> None:
    departments_heavy = Profile(daily={"complaint": 20.0, "question": 20.0, "sales_lead": 4.0, "job": 2.0})
    results = by_model(run(shape, staffing, 3, departments_heavy))
    centralized, hub = results["centralized"], results["hub-and-spoke"]
    assert centralized.handoffs_per_case > 0.9 > hub.handoffs_per_case
    assert centralized.wrong_function > 0.9 and hub.wrong_function == 0


def test_it_answers_everything_with_the_one_team_when_solo(shape: OrgShape, staffing: Staffing) -> None:
    results = by_model(run(shape, staffing, 2))
    assert results["solo"].wrong_function == results["centralized"].wrong_function > 0
    assert results["hub-and-spoke"].approvals_per_case >= 1  # the central team approves every answer
