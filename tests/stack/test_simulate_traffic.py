"""The recorded traffic the simulator replays: the first public message's time, the reading, and the
department the rules named — not the owner the model of the day chose."""

from __future__ import annotations

import pytest

from sablier.cases.models import Case
from sablier.cases.traffic import organisation_shape, recorded_arrivals, recorded_staffing
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db


def test_it_replays_the_department_the_rules_named(api: ApiClient) -> None:
    api.put("/api/organisation/operating-model", {"operating_model": "centralized"})
    first = mention_payload(external_id="9900001")
    case_id = api.post("/api/mentions", first).json()["case_id"]
    reply = mention_payload(text="Still nothing?", in_reply_to="9900001", created_at="2026-11-20T18:00:00Z")
    assert api.post("/api/mentions", reply).json()["case_id"] == case_id
    run_single_cycle()
    [arrival] = recorded_arrivals()
    assert Case.objects.get(pk=case_id).department.slug == "central"  # type: ignore[union-attr]
    assert (arrival.key, arrival.intent, arrival.decision.department) == (
        str(case_id),
        "complaint",
        "customer-service",
    )
    assert arrival.at.isoformat() == "2026-11-20T14:05:00+00:00"


def test_it_staffs_each_department_with_its_members(api: ApiClient) -> None:
    staffing = recorded_staffing(organisation_shape())
    assert (staffing.team("central").people, staffing.team("legal").people) == (1, 0)
    assert staffing.team("central").calendar.name == "quebec"
