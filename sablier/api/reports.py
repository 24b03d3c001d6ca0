"""/api/reports: KPIs as JSON and CSV, objectives, budgets (the only hand entry) and rendered reports.

The central team reads every department and the organisation; a department's lead reads and sets
their own department's; any other department is not found."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from sablier.api.auth import BearerToken
from sablier.cases.access import person
from sablier.errors import FieldError, ValidationFailed
from sablier.reports.access import access_department_figures, readable_departments, sees_everything
from sablier.reports.document import build_report
from sablier.reports.export import kpis_csv, kpis_json
from sablier.reports.measure import measure
from sablier.reports.models import Budget, Objective
from sablier.reports.objectives import attainment
from sablier.reports.periods import Period, parse_period
from sablier.reports.render import render
from sablier.reports.store import (
    BudgetInput,
    do_delete_objective,
    do_set_budget,
    do_set_objective,
    objectives_for,
)

router = Router(tags=["reports"])  # mounted at /reports
EITHER = [BearerToken(), django_auth]  # the dashboard's links work with the browser's session too


class Span(Schema):
    period: str | None = Field(default=None, description="2026-10, 2026-W44 or 2026-10-01..2026-10-15")
    start: str | None = Field(default=None, description="a date (included) or an ISO date-time")
    end: str | None = Field(default=None, description="a date (included) or an ISO date-time (excluded)")
    department: str | None = Field(default=None, description="a department slug; none: the organisation")


class ReportQuery(Span):
    lang: str = Field(default="en", pattern="^(fr|en)$")
    format: str = Field(default="html", pattern="^(html|pdf)$")


class BudgetIn(Schema):
    people_hours: float = 0
    hourly_cost: float = 0
    tools: float = 0
    paid_promotion: float = 0
    actual_people_hours: float | None = None
    actual_tools: float | None = None
    actual_paid_promotion: float | None = None
    currency: str = Field(default="CAD", pattern="^[A-Z]{3}$")


class BudgetOut(BudgetIn):
    department: str
    period: str


class ObjectiveIn(Schema):
    department: str | None = None
    kpi: str
    target: float | str
    period: str = ""


class ObjectiveOut(Schema):
    id: int
    department: str | None
    kpi: str
    target: float
    period: str
    from_file: bool


def _instant(text: str, field: str, end: bool) -> datetime:
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1 if end else 0)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            "invalid date", [FieldError(field, "a date like 2026-10-31 or an ISO date-time")]
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def span_of(query: Span, now: datetime) -> Period:
    """The period asked for: ?period=, or ?start=&end=, or by default the current month."""
    if query.period:
        try:
            return parse_period(query.period)
        except ValueError as exc:
            raise ValidationFailed("invalid period", [FieldError("period", str(exc))]) from None
    if query.start or query.end:
        if not (query.start and query.end):
            raise ValidationFailed(
                "give both start and end",
                [FieldError("end" if query.start else "start", "required with the other")],
            )
        start, end = _instant(query.start, "start", False), _instant(query.end, "end", True)
        if end <= start:
            raise ValidationFailed("end is before start", [FieldError("end", "after start")])
        return Period(f"{query.start}..{query.end}", "range", start, end)
    return parse_period(f"{now:%Y-%m}")


def _kpis(request: HttpRequest, query: Span) -> dict[str, Any]:
    access_department_figures(request.user, query.department)
    now = timezone.now()
    period = span_of(query, now)
    kpis = measure(period.start, period.end, query.department, now=now)
    found = [attainment(spec, kpis) for spec in objectives_for(period.slug, query.department)]
    return kpis_json(kpis, period.slug, found)


@router.get("/kpis", auth=EITHER)
def kpis(request: HttpRequest, query: Query[Span]) -> dict[str, Any]:
    """The KPIs of the cases opened in the period (definitions: sablier/reports/kpi.py)."""
    return _kpis(request, query)


@router.get("/kpis.csv", auth=EITHER)
def kpis_as_csv(request: HttpRequest, query: Query[Span]) -> HttpResponse:
    """The same numbers as /kpis, one row per (metric, key)."""
    response = HttpResponse(kpis_csv(_kpis(request, query)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kpis.csv"'
    return response


@router.get("/report", auth=EITHER)
def report(request: HttpRequest, query: Query[ReportQuery]) -> HttpResponse:
    """The report of a period, as a standalone HTML page or a PDF, in French or English."""
    department = access_department_figures(request.user, query.department)
    now = timezone.now()
    built = build_report(span_of(query, now), department, query.lang, now)
    types = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
    response = HttpResponse(render(built, query.format), content_type=types[query.format])
    response["Content-Disposition"] = f'inline; filename="{built.filename(query.format)}"'
    return response


def _budget_out(budget: Budget) -> dict[str, Any]:
    fields = {name: getattr(budget, name) for name in BudgetIn.model_fields}
    return {**fields, "department": budget.department.slug, "period": budget.period}


@router.get("/budgets", response=list[BudgetOut])
def budgets(request: HttpRequest, period: str | None = None) -> list[dict[str, Any]]:
    found = Budget.objects.select_related("department").filter(
        department__in=readable_departments(request.user)
    )
    return [_budget_out(b) for b in (found.filter(period=period) if period else found)]


@router.put("/budgets/{department}/{period}", response=BudgetOut)
def set_budget(request: HttpRequest, department: str, period: str, payload: BudgetIn) -> dict[str, Any]:
    """A department's month (YYYY-MM): the central team, or the department's lead."""
    values = BudgetInput(**payload.dict())
    return _budget_out(do_set_budget(person(request.user), department, period, values))


def _objective_out(objective: Objective) -> dict[str, Any]:
    slug = objective.department.slug if objective.department else None
    return {
        "id": objective.pk,
        "department": slug,
        "kpi": objective.kpi,
        "target": objective.target,
        "period": objective.period,
        "from_file": objective.from_file,
    }


@router.get("/objectives", response=list[ObjectiveOut])
def objectives(request: HttpRequest) -> list[dict[str, Any]]:
    found = Objective.objects.select_related("department")
    mine = found.filter(department__in=readable_departments(request.user))
    if sees_everything(request.user):
        mine = mine | found.filter(department__isnull=True)
    return [_objective_out(o) for o in mine]


@router.put("/objectives", response={200: ObjectiveOut})
def set_objective(request: HttpRequest, payload: ObjectiveIn) -> Status[dict[str, Any]]:
    """Create or replace (department, kpi, period); no department: the organisation (central team)."""
    raw = {k: v for k, v in payload.dict().items() if not (k == "department" and v is None)}
    return Status(200, _objective_out(do_set_objective(person(request.user), raw)))


@router.delete("/objectives/{objective_id}", response={204: None})
def delete_objective(request: HttpRequest, objective_id: int) -> Status[None]:
    do_delete_objective(person(request.user), objective_id)
    return Status(204, None)
