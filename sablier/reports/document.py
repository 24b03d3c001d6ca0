"""A report's content in one language: key figures, objectives, budget and charts, ready to render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext

from sablier.organisation.models import Department
from sablier.reports import charts
from sablier.reports.kpi import Kpis, Spend
from sablier.reports.labels import (
    DEFINITIONS,
    HEADINGS,
    KPI_LABELS,
    SPEND_LABELS,
    STATUS,
    TITLES,
    UNITS,
    figure,
)
from sablier.reports.measure import measure
from sablier.reports.models import Budget
from sablier.reports.objectives import Attainment, attainment
from sablier.reports.periods import Period
from sablier.reports.series import sentiment_over_time
from sablier.reports.store import objectives_for
from sablier.web.labels import LABELS


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    status: str = ""  # met | missed | "" for objectives


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: str


@dataclass(frozen=True)
class Report:
    language: str
    title: str
    scope: str
    department: str | None
    period: Period
    generated_at: datetime
    kpis: Kpis
    attainments: tuple[Attainment, ...]
    figures: tuple[Row, ...]
    objectives: tuple[Row, ...]
    spend: tuple[Row, ...]
    charts: tuple[Chart, ...]
    definitions: tuple[str, ...]

    def filename(self, extension: str) -> str:
        return f"sablier-{self.department or 'organisation'}-{self.period.slug}-{self.language}.{extension}"


def _name(identifier: str) -> str:
    return str(LABELS.get(identifier, identifier))


def _figures(kpis: Kpis, currency: str) -> tuple[Row, ...]:
    return tuple(
        Row((str(label), figure(getattr(kpis, key), UNITS.get(key, "count"), currency)))
        for key, label in KPI_LABELS.items()
    )


def _objective_rows(found: list[Attainment], currency: str) -> tuple[Row, ...]:
    rows = []
    for a in found:
        unit = UNITS.get(a.kpi, "count")
        target = f"{'≤' if a.op == '<=' else '≥'} {figure(a.target, unit, currency)}"
        status = "" if a.met is None else ("met" if a.met else "missed")
        rows.append(
            Row(
                (str(KPI_LABELS[a.kpi]), target, figure(a.actual, unit, currency), str(STATUS[a.met])), status
            )
        )
    return tuple(rows)


def _spend_rows(kpis: Kpis, currency: str) -> tuple[Row, ...]:
    if kpis.budget is None or kpis.spend is None:
        return ()
    rows = [
        Row(
            (
                str(label),
                figure(getattr(kpis.budget, key), "money", currency),
                figure(getattr(kpis.spend, key), "money", currency),
            )
        )
        for key, label in SPEND_LABELS.items()
    ]
    total = (
        gettext("Total"),
        figure(kpis.budget.total, "money", currency),
        figure(kpis.spend.total, "money", currency),
    )
    return (*rows, Row(total))


def _objective_bars(found: list[Attainment], currency: str) -> str:
    rows = []
    for a in found:
        unit = UNITS.get(a.kpi, "count")
        scale = 100 if unit == "share" else 1
        text = f"{figure(a.target, unit, currency)} → {figure(a.actual, unit, currency)}"
        rows.append((str(KPI_LABELS[a.kpi]), a.target * scale, (a.actual or 0) * scale, text))
    return charts.paired_bars(
        str(TITLES["objectives"]),
        rows,
        (str(TITLES["target"]), str(TITLES["actual"])),
        str(HEADINGS["no_objectives"]),
    )


def _spend_bars(budget: Spend | None, spend: Spend | None, currency: str) -> str:
    rows = []
    if budget is not None and spend is not None:
        for key, label in SPEND_LABELS.items():
            planned, spent = getattr(budget, key), getattr(spend, key)
            rows.append(
                (
                    str(label),
                    planned,
                    spent,
                    f"{figure(planned, 'money')} → {figure(spent, 'money', currency)}",
                )
            )
    return charts.paired_bars(
        str(TITLES["spend"]), rows, (str(TITLES["budget"]), str(TITLES["spent"])), str(HEADINGS["no_budget"])
    )


def _charts(kpis: Kpis, found: list[Attainment], currency: str) -> tuple[Chart, ...]:
    nothing = str(TITLES["nothing"])
    starts, counts = sentiment_over_time(kpis.start, kpis.end, kpis.department)
    days = [f"{s:%d/%m}" if translation.get_language() == "fr" else f"{s:%m-%d}" for s in starts]
    sentiment = [(_name(s), charts.SENTIMENT_COLOURS[s], values) for s, values in counts.items()]
    sla = [
        (str(TITLES[k]), round(100 * v, 1))
        for k, v in (
            ("first_response", kpis.sla_first_response),
            ("resolution", kpis.sla_resolution),
            ("overall", kpis.sla_attainment),
        )
        if v is not None
    ]
    made = [
        (
            "by_intent",
            charts.bar_chart(
                str(TITLES["by_intent"]), [(_name(k), v) for k, v in kpis.by_intent.items()], empty=nothing
            ),
        ),
        (
            "by_network",
            charts.bar_chart(str(TITLES["by_network"]), list(kpis.by_network.items()), empty=nothing),
        ),
        (
            "response_times",
            charts.bar_chart(str(TITLES["response_times"]), list(kpis.response_time_distribution.items())),
        ),
        ("sla", charts.bar_chart(str(TITLES["sla"]), sla, suffix=" %", empty=nothing)),
        ("sentiment", charts.line_chart(str(TITLES["sentiment"]), days, sentiment)),
        ("objectives", _objective_bars(found, currency)),
        ("spend", _spend_bars(kpis.budget, kpis.spend, currency)),
    ]
    return tuple(Chart(key, str(TITLES.get(key, key)), svg) for key, svg in made)


def _currency(period: Period, department: str | None) -> str:
    budgets = Budget.objects.filter(period__startswith=period.start.strftime("%Y"))
    found = budgets.filter(department__slug=department) if department else budgets
    return next(iter(found.values_list("currency", flat=True)), "")


def build_report(period: Period, department: Department | None, language: str, now: datetime) -> Report:
    slug = department.slug if department else None
    with translation.override(language):
        kpis = measure(period.start, period.end, slug, now=now)
        found = [attainment(spec, kpis) for spec in objectives_for(period.slug, slug)]
        currency = _currency(period, slug)
        return Report(
            language=language,
            title=str(TITLES[period.kind]),
            scope=department.name(language) if department else str(TITLES["organisation"]),
            department=slug,
            period=period,
            generated_at=now,
            kpis=kpis,
            attainments=tuple(found),
            figures=_figures(kpis, currency),
            objectives=_objective_rows(found, currency),
            spend=_spend_rows(kpis, currency),
            charts=_charts(kpis, found, currency),
            definitions=tuple(str(d) for d in DEFINITIONS),
        )
