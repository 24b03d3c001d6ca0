"""The report as a standalone HTML page (inline SVG charts, no outside resource: it travels by e-mail)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from sablier.reports.document import Report
from sablier.reports.pdf import render_pdf


def report_context(report: Report) -> dict[str, object]:
    charts = [
        {"key": c.key, "title": c.title, "svg": mark_safe(c.svg)} for c in report.charts
    ]  # drawn by charts.py, text escaped
    last_day = report.period.end.date().fromordinal(report.period.end.date().toordinal() - 1)
    return {"report": report, "charts": charts, "last_day": last_day}


def render_html(report: Report) -> str:
    with translation.override(report.language):
        return render_to_string("sablier/report.html", report_context(report))


def render(report: Report, form: str) -> bytes:
    """`html` or `pdf`, as bytes ready to write or attach."""
    return render_pdf(report) if form == "pdf" else render_html(report).encode("utf-8")
