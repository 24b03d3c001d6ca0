"""The organisation file (YAML): departments, people, routing and approval rules and the operating
model, validated with errors naming the key and its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sablier.answer.canned import check_canned_answers
from sablier.answer.guardrails import GuardrailPolicy
from sablier.crisis.config import check_crisis_config
from sablier.errors import FieldError, ValidationFailed
from sablier.notify.channels import check_department_channels
from sablier.organisation.people_config import PersonConfig, parse_people
from sablier.organisation.yaml_lines import with_lines
from sablier.reports.objectives import check_objectives
from sablier.routing import RuleSet, parse_rules
from sablier.routing.approval_rules import ApprovalRule, parse_approval_rules
from sablier.routing.operating_models import MODEL_SLUGS
from sablier.routing.structure import Structure, parse_structure
from sablier.sla.config import check_department_calendar, check_sla_config

OPERATING_MODELS = MODEL_SLUGS
ASSIGNMENT_MODES = ("manual", "round-robin", "least-loaded")


@dataclass(frozen=True)
class DepartmentConfig:
    slug: str
    name_en: str
    name_fr: str
    is_central: bool
    private: bool = False
    assignment: str = "manual"
    notify: dict[str, Any] = field(default_factory=dict)
    calendar: str = ""  # business hours for its SLA clocks; "" = the default calendar


@dataclass(frozen=True)
class OrganisationConfig:
    name: str
    operating_model: str
    departments: tuple[DepartmentConfig, ...]
    routing: dict[str, Any]
    rules: RuleSet
    cooloff_days: int = 14
    guardrails: dict[str, Any] = field(default_factory=dict)
    structure: Structure | None = None
    approvals: list[Any] = field(default_factory=list)
    approval_rules: tuple[ApprovalRule, ...] = ()
    people: tuple[PersonConfig, ...] = ()
    canned_answers: list[Any] = field(default_factory=list)
    slas: Any = None
    calendars: Any = None
    objectives: Any = None
    crisis: Any = None


def _department(raw: Any, where: str, errors: list[FieldError]) -> DepartmentConfig | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("slug"), str) or not raw["slug"]:
        errors.append(FieldError(where, "each department needs a slug, en and fr names"))
        return None
    slug = raw["slug"]
    assignment = raw.get("assignment", "manual")
    if assignment not in ASSIGNMENT_MODES:
        errors.append(FieldError(f"{where}.assignment", f"use one of {', '.join(ASSIGNMENT_MODES)}"))
    notify = raw.get("notify") or {}
    channel_errors = check_department_channels(notify, f"{where}.notify")
    errors += channel_errors
    return DepartmentConfig(
        slug,
        str(raw.get("en", slug)),
        str(raw.get("fr", raw.get("en", slug))),
        bool(raw.get("central", False)),
        bool(raw.get("private", False)),
        assignment if assignment in ASSIGNMENT_MODES else "manual",
        notify if isinstance(notify, dict) and not channel_errors else {},
        str(raw.get("calendar", "")),
    )


def _cooloff(data: dict[str, Any], errors: list[FieldError]) -> int:
    policy = data.get("contact_policy") or {}
    cooloff = policy.get("cooloff_days", 14) if isinstance(policy, dict) else None
    if not isinstance(cooloff, int) or isinstance(cooloff, bool) or not 0 <= cooloff <= 365:
        errors.append(FieldError("contact_policy.cooloff_days", "a whole number of days from 0 to 365"))
        return 14
    return cooloff


def _collect(errors: list[FieldError], parse: Any, *args: Any) -> Any:
    try:
        return parse(*args)
    except ValidationFailed as exc:
        errors += exc.errors
        return None


def parse_organisation(data: Any) -> OrganisationConfig:
    if not isinstance(data, dict):
        raise ValidationFailed(
            "the organisation file must be a YAML mapping",
            [FieldError("(root)", "expected name, departments and routing")],
        )
    errors: list[FieldError] = []
    model = data.get("operating_model", "hub-and-spoke")
    if model not in OPERATING_MODELS:
        errors.append(FieldError("operating_model", f"use one of {', '.join(OPERATING_MODELS)}"))
    raw_departments = data.get("departments")
    if not isinstance(raw_departments, list) or not raw_departments:
        errors.append(FieldError("departments", "list at least one department"))
        raw_departments = []
    departments = [_department(d, f"departments[{i}]", errors) for i, d in enumerate(raw_departments)]
    valid = tuple(d for d in departments if d is not None)
    if valid and sum(d.is_central for d in valid) != 1:
        errors.append(FieldError("departments", "exactly one department must be central: true"))
    slugs = {d.slug for d in valid}
    central = next((d.slug for d in valid if d.is_central), "")
    cooloff = _cooloff(data, errors)
    guardrails = data.get("guardrails") or {}
    _collect(errors, lambda: GuardrailPolicy.from_mapping(guardrails, where="guardrails"))
    structure = parse_structure(data, central, slugs, frozenset(d.slug for d in valid if d.private), errors)
    approval_rules = _collect(errors, parse_approval_rules, data.get("approvals"), slugs) or ()
    people = _collect(errors, parse_people, data.get("people"), slugs) or ()
    errors += check_canned_answers(data.get("canned_answers"), slugs)
    errors += check_sla_config(data.get("slas"), data.get("calendars"), slugs)
    errors += check_objectives(data.get("objectives"), slugs)
    errors += check_crisis_config(data.get("crisis"))
    for i, dept in enumerate(departments):
        wrong = (
            check_department_calendar(dept.calendar, data.get("calendars"))
            if dept and dept.calendar
            else None
        )
        if wrong:
            errors.append(FieldError(f"departments[{i}].calendar", wrong))
    routing = data.get("routing") or {"rules": [], "default": central}
    rules = _collect(errors, parse_rules, routing, slugs)
    if errors:
        raise ValidationFailed("the organisation file is invalid", errors)
    return OrganisationConfig(
        name=str(data.get("name", "My organisation")),
        operating_model=model,
        departments=valid,
        routing=routing,
        rules=rules,
        cooloff_days=cooloff,
        guardrails=dict(guardrails),
        structure=structure,
        approvals=list(data.get("approvals") or []),
        approval_rules=approval_rules,
        people=people,
        canned_answers=list(data.get("canned_answers") or []),
        slas=data.get("slas"),
        calendars=data.get("calendars"),
        objectives=data.get("objectives"),
        crisis=data.get("crisis"),
    )


def load_organisation(path: Path | None) -> OrganisationConfig:
    """Read the given file, or the shipped default organisation."""
    if path is None:
        text = resources.files("sablier.organisation").joinpath("default.yaml").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"the organisation file is not valid YAML: {exc}") from exc
    try:
        return parse_organisation(data)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, with_lines(exc.errors, text)) from exc
