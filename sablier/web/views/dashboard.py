"""Dashboards: the organisation's (central team) and each department's (its lead, the central team)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from sablier.errors import NotAllowed, NotFound
from sablier.organisation.actions import current_organisation
from sablier.reports.access import access_department_figures, readable_departments, sees_everything
from sablier.reports.document import build_report
from sablier.reports.periods import Period, month_of, parse_period
from sablier.reports.render import report_context


def _period(request: HttpRequest) -> tuple[Period, str]:
    asked = request.GET.get("period", "")
    now = timezone.now()
    try:
        return (parse_period(asked) if asked else month_of(now)), ""
    except ValueError as exc:
        return month_of(now), str(exc)


def _links(period: Period, slug: str | None, language: str) -> dict[str, str]:
    query = {"period": period.slug, **({"department": slug} if slug else {})}
    report = {**query, "lang": language}
    return {
        "json_url": f"/api/reports/kpis?{urlencode(query)}",
        "csv_url": f"/api/reports/kpis.csv?{urlencode(query)}",
        "html_url": f"/api/reports/report?{urlencode({**report, 'format': 'html'})}",
        "pdf_url": f"/api/reports/report?{urlencode({**report, 'format': 'pdf'})}",
    }


@login_required
def dashboard_page(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    try:
        department = access_department_figures(request.user, slug)
    except (NotFound, NotAllowed):
        readable = readable_departments(request.user)
        if slug is None and readable:  # a lead's own department instead of the organisation
            return dashboard_page(request, readable[0].slug)
        return render(request, "sablier/not_found.html", status=404)
    period, error = _period(request)
    language = "fr" if get_language() == "fr" else "en"
    report = build_report(period, department, language, timezone.now())
    following = period.end if period.end <= timezone.now() else None
    context = {
        **report_context(report),
        **_links(period, slug, language),
        "organisation": current_organisation(),
        "error": error,
        "central": sees_everything(request.user),
        "departments": [
            {"slug": d.slug, "label": d.name(language)} for d in readable_departments(request.user)
        ],
        "previous": period.previous().slug,
        "following": _next_slug(period) if following else "",
    }
    return render(request, "sablier/dashboard.html", context)


def _next_slug(period: Period) -> str:
    if period.kind == "range":
        return ""
    return parse_period(period.end.strftime("%Y-%m")).slug if period.kind == "month" else _week_after(period)


def _week_after(period: Period) -> str:
    year, week, _ = period.end.isocalendar()
    return f"{year}-W{week:02d}"
