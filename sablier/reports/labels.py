"""The words of reports and dashboards, translated, and figures written the way each language does."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

KPI_LABELS: dict[str, Promise] = {
    "volume": _("Cases handled"),
    "answered": _("Cases answered"),
    "first_response_median_minutes": _("Median first response"),
    "first_response_p90_minutes": _("90th percentile first response"),
    "resolved": _("Cases resolved"),
    "resolution_rate": _("Resolution rate"),
    "sla_first_response": _("SLA attainment, first response"),
    "sla_resolution": _("SLA attainment, resolution"),
    "sla_attainment": _("SLA attainment"),
    "negative": _("Negative cases"),
    "sentiment_recovery": _("Sentiment recovery"),
    "cost_per_resolved": _("Cost per resolved case"),
}
UNITS = {
    "first_response_median_minutes": "minutes",
    "first_response_p90_minutes": "minutes",
    "resolution_rate": "share",
    "sla_first_response": "share",
    "sla_resolution": "share",
    "sla_attainment": "share",
    "sentiment_recovery": "share",
    "cost_per_resolved": "money",
}
SPEND_LABELS: dict[str, Promise] = {
    "people": _("People time"),
    "tools": _("Tools"),
    "promotion": _("Paid promotion"),
}
TITLES: dict[str, Promise] = {
    "month": _("Monthly report"),
    "week": _("Weekly report"),
    "range": _("Report"),
    "organisation": _("Whole organisation"),
    "by_intent": _("Volume by intent"),
    "by_network": _("Volume by network"),
    "response_times": _("First response time distribution"),
    "sla": _("SLA attainment"),
    "sentiment": _("Sentiment over time"),
    "objectives": _("Objectives vs actual"),
    "spend": _("Spend vs budget"),
    "target": _("Target"),
    "actual": _("Actual"),
    "budget": _("Budget"),
    "spent": _("Spend"),
    "first_response": _("First response"),
    "resolution": _("Resolution"),
    "overall": _("Overall"),
    "nothing": _("Nothing in this period."),
}
STATUS: dict[bool | None, Promise] = {True: _("met"), False: _("missed"), None: _("no data yet")}


def _decimal(text: str) -> str:
    return text.replace(",", " ").replace(".", ",") if get_language() == "fr" else text.replace(",", " ")


def figure(value: float | int | None, unit: str = "count", currency: str = "") -> str:
    """42 min, 1 h 30, 85 % (fr) / 85% (en), 1 234,50 CAD (fr) / 1 234.50 CAD (en); — when unknown."""
    if value is None:
        return "—"
    if unit == "minutes":
        if value < 60:
            return _decimal(f"{value:.0f} min") if value == int(value) else _decimal(f"{value:.1f} min")
        hours, minutes = divmod(round(value), 60)
        return f"{hours} h {minutes:02d}"
    if unit == "share":
        number = _decimal(f"{value * 100:.1f}".removesuffix(".0"))
        return f"{number} %" if get_language() == "fr" else f"{number}%"
    if unit == "money":
        return _decimal(f"{value:,.2f}") + (f" {currency}" if currency else "")
    return _decimal(f"{value:,.0f}") if value == int(value) else _decimal(f"{value:,.1f}")


DEFINITIONS: tuple[Promise, ...] = (
    _("Cases are those opened in the period, counted in the department that owns them now."),
    _("First response: from the opening of a case to its first answer; p90 is the time 90% of answers beat."),
    _("Resolution rate: cases closed at the end of the period, out of those not left to monitor."),
    _("SLA attainment: due times met, out of those set and reached (answered, or past due)."),
    _("Sentiment recovery: negative cases whose customer's last later message reads neutral or positive."),
    _("Cost per resolved case: people time at its hourly cost, tools and promotion, over cases resolved."),
)
HEADINGS: dict[str, Promise] = {
    "figures": _("Key figures"),
    "objectives": _("Objectives"),
    "budget": _("Budget"),
    "charts": _("Charts"),
    "definitions": _("How these figures are computed"),
    "no_objectives": _("No objective set for this period."),
    "no_budget": _("No budget entered for this period."),
    "figure": _("Figure"),
    "value": _("Value"),
    "target": _("Target"),
    "actual": _("Actual"),
    "status": _("Status"),
    "item": _("Item"),
    "spend": _("Spend"),
    "generated": _("Generated"),
}
