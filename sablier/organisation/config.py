"""The organisation file (YAML): departments and routing rules, validated with errors naming the key."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sablier.answer.guardrails import GuardrailPolicy
from sablier.errors import FieldError, ValidationFailed
from sablier.routing import RuleSet, parse_rules

OPERATING_MODELS = (
    "centralized",
    "customer-service-led",
    "hub-and-spoke",
    "multiple-hub-and-spoke",
    "distributed",
    "solo",
)


@dataclass(frozen=True)
class DepartmentConfig:
    slug: str
    name_en: str
    name_fr: str
    is_central: bool


@dataclass(frozen=True)
class OrganisationConfig:
    name: str
    operating_model: str
    departments: tuple[DepartmentConfig, ...]
    routing: dict[str, Any]
    rules: RuleSet
    cooloff_days: int = 14
    guardrails: dict[str, Any] = field(default_factory=dict)


def _department(raw: Any, where: str, errors: list[FieldError]) -> DepartmentConfig | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("slug"), str) or not raw["slug"]:
        errors.append(FieldError(where, "each department needs a slug, en and fr names"))
        return None
    slug = raw["slug"]
    return DepartmentConfig(
        slug,
        str(raw.get("en", slug)),
        str(raw.get("fr", raw.get("en", slug))),
        bool(raw.get("central", False)),
    )


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
    policy = data.get("contact_policy") or {}
    cooloff = policy.get("cooloff_days", 14) if isinstance(policy, dict) else None
    if not isinstance(cooloff, int) or isinstance(cooloff, bool) or not 0 <= cooloff <= 365:
        errors.append(FieldError("contact_policy.cooloff_days", "a whole number of days from 0 to 365"))
    guardrails = data.get("guardrails") or {}
    try:
        GuardrailPolicy.from_mapping(guardrails, where="guardrails")
    except ValidationFailed as exc:
        errors += exc.errors
    if errors:
        raise ValidationFailed("the organisation file is invalid", errors)
    routing = data.get("routing") or {"rules": [], "default": next(d.slug for d in valid if d.is_central)}
    rules = parse_rules(routing, {d.slug for d in valid})
    return OrganisationConfig(
        str(data.get("name", "My organisation")),
        model,
        valid,
        routing,
        rules,
        cooloff if isinstance(cooloff, int) else 14,
        dict(guardrails),
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
    return parse_organisation(data)
