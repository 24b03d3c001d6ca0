"""check_/do_ for objectives and budgets, the only figures entered by hand being the budgets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from sablier.cases.access import Viewer
from sablier.errors import FieldError, NotFound, ValidationFailed
from sablier.organisation.models import Department
from sablier.reports.access import access_department_figures
from sablier.reports.models import Budget, Objective
from sablier.reports.objectives import ObjectiveSpec, check_objective, parse_objectives
from sablier.reports.periods import MONTH, parse_period

BUDGET_FIELDS = (
    "people_hours",
    "hourly_cost",
    "tools",
    "paid_promotion",
    "actual_people_hours",
    "actual_tools",
    "actual_paid_promotion",
)


@dataclass(frozen=True)
class BudgetInput:
    people_hours: float = 0
    hourly_cost: float = 0
    tools: float = 0
    paid_promotion: float = 0
    actual_people_hours: float | None = None
    actual_tools: float | None = None
    actual_paid_promotion: float | None = None
    currency: str = "CAD"


def spec_of(objective: Objective) -> ObjectiveSpec:
    slug = objective.department.slug if objective.department else None
    return ObjectiveSpec(slug, objective.kpi, objective.target, objective.period)


def objectives_for(period: str, department: str | None) -> list[ObjectiveSpec]:
    """The period's own objectives and the standing ones, of a department or of the organisation."""
    found = Objective.objects.select_related("department").filter(Q(period=period) | Q(period=""))
    found = found.filter(department__slug=department) if department else found.filter(department__isnull=True)
    chosen: dict[str, Objective] = {}
    for objective in found.order_by("kpi", "period"):
        if objective.kpi not in chosen or objective.period:  # a period's own beats the standing one
            chosen[objective.kpi] = objective
    return [spec_of(o) for o in chosen.values()]


def do_apply_objectives(raw: Any) -> int:
    """The organisation file's `objectives:` (already checked) replace the ones it set before."""
    with transaction.atomic():
        Objective.objects.filter(from_file=True).delete()
        for spec in parse_objectives(raw):
            department = Department.objects.get(slug=spec.department) if spec.department else None
            Objective.objects.update_or_create(
                department=department,
                kpi=spec.kpi,
                period=spec.period,
                defaults={"target": spec.target, "from_file": True},
            )
    return len(raw or [])


def do_set_objective(actor: Viewer, raw: dict[str, Any]) -> Objective:
    department = access_department_figures(actor, raw.get("department"))
    slugs = {department.slug} if department else set()
    errors = check_objective(raw, "body", slugs)
    if errors:
        raise ValidationFailed(
            "the objective is invalid", [FieldError(e.field[5:], e.message) for e in errors]
        )
    spec = parse_objectives([raw])[0]
    objective, _ = Objective.objects.update_or_create(
        department=department,
        kpi=spec.kpi,
        period=spec.period,
        defaults={"target": spec.target, "from_file": False},
    )
    return objective


def do_delete_objective(actor: Viewer, objective_id: int) -> None:
    objective = Objective.objects.select_related("department").filter(pk=objective_id).first()
    if objective is None:
        raise NotFound(f"No objective {objective_id}.")
    access_department_figures(actor, objective.department.slug if objective.department else None)
    objective.delete()


def check_budget(period: str, values: BudgetInput) -> None:
    errors = []
    try:
        parse_period(period if MONTH.match(period) else "-")
    except ValueError:
        errors.append(FieldError("period", "budgets are monthly: write the month like 2026-11"))
    for name in BUDGET_FIELDS:
        value = getattr(values, name)
        if value is not None and value < 0:
            errors.append(FieldError(name, "a number ≥ 0"))
    if errors:
        raise ValidationFailed("the budget is invalid", errors)


def do_set_budget(actor: Viewer, department: str, period: str, values: BudgetInput) -> Budget:
    found = access_department_figures(actor, department)
    assert found is not None
    check_budget(period, values)
    fields = {name: getattr(values, name) for name in BUDGET_FIELDS}
    budget, _ = Budget.objects.update_or_create(
        department=found, period=period, defaults={**fields, "currency": values.currency}
    )
    return budget
