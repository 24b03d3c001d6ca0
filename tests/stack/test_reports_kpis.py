"""KPIs read from the hub against numbers computed by hand on a small fixture of cases whose event
times are injected; the API's JSON and CSV give the same numbers, to whom may read them."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sablier.cases.models import Case, CaseEvent
from sablier.listen.models import Mention, RawInbound
from sablier.organisation.models import Department
from sablier.people.models import Handle, Person
from sablier.reports.measure import measure
from sablier.reports.models import Budget
from sablier.reports.periods import parse_period
from sablier.sla.models import CaseClock
from tests.conftest import ApiClient, client_of

_ids = itertools.count(1)
OCT = datetime(2026, 10, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 15, tzinfo=UTC)
MIN = timedelta(minutes=1)


def _mention(case: Case, handle: Handle, at: datetime, sentiment: str) -> None:
    n = next(_ids)
    raw = RawInbound.objects.create(network=handle.network, external_id=f"r{n}", payload={})
    Mention.objects.create(
        raw=raw, network=handle.network, external_id=f"r{n}", author=handle, text="…", created_at=at,
        case=case, reading={"sentiment": {"value": sentiment, "confidence": 0.9, "reasons": []}},
    )  # fmt: skip


def _move(case: Case, state: str, at: datetime) -> None:
    event = CaseEvent.objects.create(case=case, verb="transition", to_state=state)
    CaseEvent.objects.filter(pk=event.pk).update(at=at)


def make_case(
    department: str,
    intent: str,
    sentiment: str,
    network: str,
    opened: datetime,
    answered: timedelta | None = None,
    closed: datetime | None = None,
    monitor: bool = False,
    replies: tuple[tuple[datetime, str], ...] = (),
    due: tuple[timedelta, timedelta] | None = None,
) -> Case:
    """A case opened at `opened`, routed, answered `answered` later, closed at `closed`."""
    n = next(_ids)
    handle = Handle.objects.create(person=Person.objects.create(), network=network, handle=f"@c{n}")
    case = Case.objects.create(
        department=Department.objects.get(slug=department),
        intent=intent,
        sentiment=sentiment,
        state="closed" if closed else "answered" if answered else "monitor_only" if monitor else "routed",
        last_message_at=opened,
    )
    Case.objects.filter(pk=case.pk).update(created_at=opened)
    _mention(case, handle, opened, sentiment)
    for at, said in replies:
        _mention(case, handle, at, said)
    _move(case, "triaged", opened)
    _move(case, "monitor_only" if monitor else "routed", opened + MIN)
    if answered:
        _move(case, "answered", opened + answered)
    if closed:
        _move(case, "closed", closed)
    if due:
        CaseClock.objects.create(
            case=case,
            department=department,
            started_at=opened,
            first_response_due=opened + due[0],
            resolution_due=opened + due[1],
            first_response_at=opened + answered if answered else None,
            resolved_at=closed,
        )
    return case


@pytest.fixture
def october(organisation: None) -> None:
    """Five customer-service cases in October 2026, one just before, one of marketing (see the
    expected figures in the tests: every one was computed by hand)."""
    day = timedelta(days=1)
    at = OCT.replace
    make_case(
        "customer-service",
        "complaint",
        "negative",
        "twitter",
        at(day=5, hour=10),
        30 * MIN,
        at(day=5, hour=12),
        replies=((at(day=5, hour=11), "positive"),),
        due=(60 * MIN, 8 * 60 * MIN),
    )
    make_case(
        "customer-service",
        "question",
        "neutral",
        "mastodon",
        at(day=10, hour=9),
        90 * MIN,
        at(day=11, hour=8),
        due=(60 * MIN, day),
    )
    make_case(
        "customer-service",
        "complaint",
        "negative",
        "twitter",
        at(day=20, hour=14),
        10 * MIN,
        replies=((at(day=20, hour=15), "negative"),),
        due=(60 * MIN, day),
    )
    make_case("customer-service", "praise", "positive", "mastodon", at(day=25, hour=9), monitor=True)
    make_case(
        "customer-service",
        "complaint",
        "negative",
        "bluesky",
        at(day=28, hour=8),
        300 * MIN,
        datetime(2026, 11, 2, tzinfo=UTC),
        due=(60 * MIN, 6 * day),
    )
    make_case(
        "customer-service",
        "complaint",
        "negative",
        "twitter",
        datetime(2026, 9, 30, 23, tzinfo=UTC),
        30 * MIN,
    )
    make_case(
        "marketing", "question", "neutral", "twitter", at(day=15, hour=10), 20 * MIN, at(day=15, hour=11)
    )
    Budget.objects.create(
        department=Department.objects.get(slug="customer-service"), period="2026-10",
        people_hours=100, hourly_cost=40, tools=500, paid_promotion=300, actual_tools=600,
    )  # fmt: skip


def test_it_measures_a_department_month_as_computed_by_hand(october: None) -> None:
    kpis = measure(OCT, datetime(2026, 11, 1, tzinfo=UTC), "customer-service", now=NOW)
    assert (kpis.volume, kpis.answered, kpis.resolved) == (5, 4, 2)
    assert kpis.by_intent == {"complaint": 3, "praise": 1, "question": 1}
    assert kpis.by_network == {"bluesky": 1, "mastodon": 2, "twitter": 2}
    assert (kpis.first_response_median_minutes, kpis.first_response_p90_minutes) == (60.0, 300.0)
    assert list(kpis.response_time_distribution.values()) == [1, 1, 1, 1, 0]
    assert kpis.resolution_rate == 0.5  # 2 closed of 4 (the praise is left to monitor)
    assert (kpis.sla_first_response, kpis.sla_resolution, kpis.sla_attainment) == (0.5, 0.6667, 0.5714)
    assert (kpis.negative, kpis.recovered, kpis.sentiment_recovery) == (3, 1, 0.3333)
    assert kpis.budget is not None and kpis.spend is not None
    assert (kpis.budget.total, kpis.spend.total, kpis.cost_per_resolved) == (4800.0, 4900.0, 2450.0)


def test_it_measures_the_whole_organisation(october: None) -> None:
    kpis = measure(OCT, datetime(2026, 11, 1, tzinfo=UTC), None, now=NOW)
    assert (kpis.volume, kpis.answered, kpis.resolved, kpis.resolution_rate) == (6, 5, 3, 0.6)
    assert (kpis.first_response_median_minutes, kpis.first_response_p90_minutes) == (30.0, 300.0)
    assert kpis.cost_per_resolved == round(4900 / 3, 2)


def test_it_prorates_the_monthly_budget_over_a_week(october: None) -> None:
    week = parse_period("2026-W44")  # Monday 26 October to Sunday 1 November: 6 October days
    kpis = measure(week.start, week.end, "customer-service", now=NOW)
    assert kpis.volume == 1 and kpis.resolved == 0 and kpis.cost_per_resolved is None
    assert kpis.budget is not None and kpis.budget.total == pytest.approx(4800 * 6 / 31, abs=0.02)


def test_it_does_not_count_a_running_due_time_as_missed(october: None) -> None:
    kpis = measure(
        OCT, datetime(2026, 11, 1, tzinfo=UTC), "customer-service", now=datetime(2026, 10, 21, 13, tzinfo=UTC)
    )
    assert kpis.sla_resolution == 1.0  # case 3's resolution is due on the 21st at 14:00, not yet reached


def _numbers(body: dict[str, Any]) -> dict[tuple[str, str], str]:
    flat = {}
    for metric, value in body.items():
        if isinstance(value, dict):
            flat |= {(metric, str(k)): str(v) for k, v in value.items()}
        elif not isinstance(value, list):
            flat[(metric, "")] = "" if value is None else str(value)
    return flat


def test_it_gives_the_same_numbers_as_json_and_csv(october: None, api: ApiClient) -> None:
    query = {"period": "2026-10", "department": "customer-service"}
    body = api.get("/api/reports/kpis", **query).json()
    assert body["volume"] == 5 and body["sla_attainment"] == 0.5714 and body["spend"]["total"] == 4900.0
    rows = list(csv.DictReader(io.StringIO(api.get("/api/reports/kpis.csv", **query).content.decode())))
    assert {(r["metric"], r["key"]): r["value"] for r in rows} == _numbers(body)


def test_it_shows_objectives_against_the_measured_figures(october: None, api: ApiClient) -> None:
    set_it = {
        "department": "customer-service",
        "kpi": "first_response_median_minutes",
        "target": 45,
        "period": "2026-10",
    }
    assert api.put("/api/reports/objectives", set_it).status_code == 200
    api.put(
        "/api/reports/objectives",
        {"department": "customer-service", "kpi": "resolution_rate", "target": "40%"},
    )
    body = api.get("/api/reports/kpis", period="2026-10", department="customer-service").json()
    found = {o["kpi"]: (o["target"], o["actual"], o["met"]) for o in body["objectives"]}
    assert found == {
        "first_response_median_minutes": (45.0, 60.0, False),
        "resolution_rate": (0.4, 0.5, True),
    }


def test_it_keeps_a_department_s_figures_to_its_lead_and_the_central_team(
    october: None, marketing_api: ApiClient
) -> None:
    lead = client_of("lea", ["customer-service"], lead=True)
    member = client_of("max", ["customer-service"])
    query = {"period": "2026-10", "department": "customer-service"}
    assert lead.get("/api/reports/kpis", **query).json()["volume"] == 5
    assert marketing_api.get("/api/reports/kpis", **query).status_code == 404
    assert marketing_api.get("/api/reports/kpis.csv", **query).status_code == 404
    assert member.get("/api/reports/kpis", **query).status_code == 404
    assert lead.get("/api/reports/kpis", period="2026-10", department="marketing").status_code == 404
    assert lead.get("/api/reports/kpis", period="2026-10").json()["code"] == "forbidden"


def test_it_lets_the_lead_set_their_budget_and_no_one_else(october: None, marketing_api: ApiClient) -> None:
    lead = client_of("lea", ["customer-service"], lead=True)
    body = {"people_hours": 120, "hourly_cost": 45, "tools": 800, "paid_promotion": 0, "currency": "EUR"}
    answer = lead.put("/api/reports/budgets/customer-service/2026-11", body)
    assert answer.status_code == 200 and answer.json()["people_hours"] == 120
    assert marketing_api.put("/api/reports/budgets/customer-service/2026-11", body).status_code == 404
    week = lead.put("/api/reports/budgets/customer-service/2026-W44", body).json()
    assert week["code"] == "validation" and week["errors"][0]["field"] == "period"
    assert [b["period"] for b in lead.get("/api/reports/budgets").json()] == ["2026-10", "2026-11"]


def test_it_refuses_a_bad_period(api: ApiClient) -> None:
    answer = api.get("/api/reports/kpis", period="October")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "period"
