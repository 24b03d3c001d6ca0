"""Objectives: which KPIs take a target, which way is better, and the `objectives:` section; pure.

objectives:
  - {department: customer-service, kpi: first_response_median_minutes, target: 60, period: 2026-11}
  - {department: customer-service, kpi: resolution_rate, target: 80%}      # every period
  - {kpi: sla_attainment, target: 0.9}                                     # the whole organisation
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sablier.errors import FieldError
from sablier.reports.kpi import Kpis
from sablier.reports.periods import parse_period

AT_MOST, AT_LEAST = "<=", ">="
# kpi -> (the way that is better, unit: "count", "minutes", "share" (0..1) or "money")
KPIS: dict[str, tuple[str, str]] = {
    "volume": (AT_LEAST, "count"),
    "first_response_median_minutes": (AT_MOST, "minutes"),
    "first_response_p90_minutes": (AT_MOST, "minutes"),
    "resolution_rate": (AT_LEAST, "share"),
    "sla_attainment": (AT_LEAST, "share"),
    "sentiment_recovery": (AT_LEAST, "share"),
    "cost_per_resolved": (AT_MOST, "money"),
}
KEYS = {"department", "kpi", "target", "period"}


@dataclass(frozen=True)
class ObjectiveSpec:
    department: str | None
    kpi: str
    target: float
    period: str = ""  # "" = every period


@dataclass(frozen=True)
class Attainment:
    kpi: str
    department: str | None
    period: str
    op: str
    unit: str
    target: float
    actual: float | None
    met: bool | None  # None: nothing to measure yet

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def check_target(kpi: str, raw: object) -> tuple[float | None, str | None]:
    """(value, None) or (None, what to write instead); shares take 0.8 or "80%"."""
    unit = KPIS[kpi][1]
    text = str(raw).strip() if isinstance(raw, (int, float, str)) and not isinstance(raw, bool) else ""
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%")) / (100 if percent else 1)
    except ValueError:
        value = -1.0
    if value < 0 or (unit == "share" and value > 1) or (percent and unit != "share"):
        hint = "a share like 0.8 or 80%" if unit == "share" else f"a number ≥ 0 ({unit})"
        return None, hint
    return value, None


def check_period_slug(raw: object) -> str | None:
    if raw in (None, ""):
        return None
    try:
        parse_period(str(raw))
    except ValueError as exc:
        return str(exc)
    return None


def check_objective(raw: Any, where: str, departments: set[str]) -> list[FieldError]:
    if not isinstance(raw, dict) or "kpi" not in raw or "target" not in raw:
        return [FieldError(where, "write {department, kpi, target, period}; department and period optional")]
    errors = [FieldError(f"{where}.{key}", "unknown key") for key in sorted(set(raw) - KEYS)]
    if raw["kpi"] not in KPIS:
        return [*errors, FieldError(f"{where}.kpi", f"use one of {', '.join(KPIS)}")]
    department = raw.get("department")
    if department is not None and department not in departments:
        errors.append(FieldError(f"{where}.department", f"no department {department!r}"))
    _, hint = check_target(raw["kpi"], raw["target"])
    if hint:
        errors.append(FieldError(f"{where}.target", hint))
    if why := check_period_slug(raw.get("period")):
        errors.append(FieldError(f"{where}.period", why))
    return errors


def check_objectives(raw: Any, departments: set[str]) -> list[FieldError]:
    """The organisation file's `objectives:` section, each error naming its key."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        return [FieldError("objectives", "list objectives: {department, kpi, target, period}")]
    errors = [e for i, item in enumerate(raw) for e in check_objective(item, f"objectives[{i}]", departments)]
    seen: set[tuple[Any, ...]] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        key = (item.get("department"), item.get("kpi"), str(item.get("period") or ""))
        if key in seen:
            errors.append(FieldError(f"objectives[{i}]", "the same KPI, department and period twice"))
        seen.add(key)
    return errors


def parse_objectives(raw: Any) -> list[ObjectiveSpec]:
    """A checked section as specs."""
    found = []
    for item in raw or []:
        target, _ = check_target(item["kpi"], item["target"])
        found.append(
            ObjectiveSpec(item.get("department"), item["kpi"], target or 0.0, str(item.get("period") or ""))
        )
    return found


def attainment(objective: ObjectiveSpec, kpis: Kpis) -> Attainment:
    op, unit = KPIS[objective.kpi]
    actual = getattr(kpis, objective.kpi)
    met = None
    if actual is not None:
        met = actual <= objective.target if op == AT_MOST else actual >= objective.target
    return Attainment(
        objective.kpi, objective.department, objective.period, op, unit, objective.target, actual, met
    )
