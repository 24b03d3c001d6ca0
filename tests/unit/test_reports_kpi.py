"""The pure parts of reports: periods, KPI arithmetic, objectives and the SVG charts."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest

from sablier.reports import charts
from sablier.reports.kpi import CaseFacts, ClockFacts, Spend, compute_kpis, median, nearest_rank
from sablier.reports.objectives import ObjectiveSpec, attainment, check_objectives, parse_objectives
from sablier.reports.periods import months_overlapping, parse_period

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
PURE = ("periods.py", "kpi.py", "objectives.py", "charts.py", "export.py")


def case(answer_min: float | None, closed: bool = False, **kw: object) -> CaseFacts:
    answered = T0 + timedelta(minutes=answer_min) if answer_min is not None else None
    fields = {
        "intent": "complaint",
        "network": "x",
        "monitored": False,
        "negative": False,
        "recovered": False,
    }
    return CaseFacts(opened_at=T0, first_answer_at=answered, closed=closed, **{**fields, **kw})  # type: ignore[arg-type]


def test_it_parses_months_weeks_and_day_ranges() -> None:
    assert parse_period("2026-02").end - parse_period("2026-02").start == timedelta(days=28)
    week = parse_period("2026-W53")  # 2026 has 53 ISO weeks
    assert (week.start.date().isoformat(), week.days) == ("2026-12-28", 7)
    assert parse_period("2026-10-01..2026-10-15").days == 15
    assert parse_period("2026-01").previous().slug == "2025-12"
    assert parse_period("2027-W01").previous().slug == "2026-W53"
    for wrong in ("2026-13", "2026-W54", "2026-10-15..2026-10-01", "octobre"):
        with pytest.raises(ValueError, match="2026-W44"):
            parse_period(wrong)


def test_it_splits_a_span_over_the_months_it_touches() -> None:
    week = parse_period("2026-W44")
    assert months_overlapping(week.start, week.end) == [("2026-10", 6 / 31), ("2026-11", 1 / 30)]


def test_it_takes_the_median_and_the_nearest_rank_p90() -> None:
    assert (median([10, 30, 90, 300]), nearest_rank([10, 30, 90, 300], 0.9)) == (60.0, 300.0)
    assert nearest_rank(list(range(1, 11)), 0.9) == 9 and nearest_rank([], 0.9) is None


def test_it_computes_rates_over_what_can_be_measured() -> None:
    cases = [case(5, closed=True), case(None, monitored=True), case(200, negative=True, recovered=True)]
    kpis = compute_kpis(cases, [], (T0, T0 + timedelta(days=1), None), Spend(10, 5, 5), Spend(20, 0, 0))
    assert (kpis.volume, kpis.answered, kpis.resolution_rate) == (3, 2, 0.5)
    assert (kpis.sentiment_recovery, kpis.sla_attainment, kpis.cost_per_resolved) == (1.0, None, 20.0)
    assert kpis.to_json()["spend"] == {"people": 20, "tools": 0, "promotion": 0, "total": 20}


def test_it_judges_due_times_only_once_reached() -> None:
    due = T0 + timedelta(hours=1)
    late = ClockFacts(due, None, False, None, None, False)
    in_time = ClockFacts(due, T0, False, due, T0 + timedelta(hours=2), False)
    end = T0 + timedelta(days=1)
    before = compute_kpis([], [late, in_time], (T0, end, None), as_of=T0 + timedelta(minutes=30))
    after = compute_kpis([], [late, in_time], (T0, end, None))
    assert (before.sla_first_response, before.sla_resolution) == (1.0, None)
    assert (after.sla_first_response, after.sla_resolution, after.sla_attainment) == (0.5, 0.0, 0.3333)


def test_it_checks_the_objectives_section_naming_each_key() -> None:
    raw = [
        {
            "department": "customer-service",
            "kpi": "first_response_median_minutes",
            "target": 60,
            "period": "2026-11",
        },
        {"department": "sales", "kpi": "resolution_rate", "target": "120%"},
        {"kpi": "happiness", "target": 1},
        {"kpi": "sla_attainment", "target": 0.9, "period": "novembre", "owner": "me"},
    ]
    errors = {(e.field, e.message.split(" ")[0]) for e in check_objectives(raw, {"customer-service"})}
    assert errors == {
        ("objectives[1].department", "no"),
        ("objectives[1].target", "a"),
        ("objectives[2].kpi", "use"),
        ("objectives[3].owner", "unknown"),
        ("objectives[3].period", "'novembre'"),
    }
    assert check_objectives(raw[:1], {"customer-service"}) == []
    assert parse_objectives([{"kpi": "resolution_rate", "target": "80%"}]) == [
        ObjectiveSpec(None, "resolution_rate", 0.8)
    ]


def test_it_tells_met_from_missed_by_the_better_direction() -> None:
    kpis = compute_kpis([case(30), case(90)], [], (T0, T0 + timedelta(days=1), None))
    assert attainment(ObjectiveSpec(None, "first_response_median_minutes", 45), kpis).met is False
    assert attainment(ObjectiveSpec(None, "volume", 2), kpis).met is True
    assert attainment(ObjectiveSpec(None, "sentiment_recovery", 0.5), kpis).met is None


def test_it_draws_charts_as_well_formed_svg_with_escaped_labels() -> None:
    drawn = [
        charts.bar_chart("Volume <intent>", [("plainte & co", 3), ("éloge", 1)]),
        charts.paired_bars("Objectifs", [("Délai", 60, 42, "60 → 42 min")], ("Cible", "Réel")),
        charts.line_chart("Sentiment", ["01/10", "02/10"], [("négatif", "#d1495b", [1, 0])]),
        charts.bar_chart("Vide", []),
    ]
    for svg in drawn:
        root = ElementTree.fromstring(svg)
        assert root.tag.endswith("svg") and root.get("width") == "640"
    assert "plainte &amp; co" in drawn[0] and drawn[0].count("<rect") == 2


@pytest.mark.parametrize("name", PURE)
def test_it_keeps_the_arithmetic_free_of_django(name: str) -> None:
    source = (Path(__file__).resolve().parents[2] / "sablier" / "reports" / name).read_text(encoding="utf-8")
    modules = {n.module or "" for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import) for a in n.names}
    assert [m for m in modules if m.startswith(("django", "sablier.cases", "sablier.listen"))] == []
