"""Routing rules as data: ordered, each naming what it matches and which department owns the case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sablier.errors import FieldError, ValidationFailed

CONDITION_KEYS = (
    "intent",
    "language",
    "network",
    "keywords",
    "author",
    "sentiment",
    "urgency",
    "assessment",
    "signal",
)


@dataclass(frozen=True)
class Rule:
    name: str
    when: dict[str, frozenset[str]]
    department: str
    consult: tuple[str, ...] = ()
    monitor_only: bool = False


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    default_department: str


def _strings(value: Any, where: str, errors: list[FieldError]) -> frozenset[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
        errors.append(FieldError(where, "must be a string or a list of strings"))
        return frozenset()
    return frozenset(items)


def _department(value: Any, where: str, departments: set[str], errors: list[FieldError]) -> str:
    if not isinstance(value, str) or value not in departments:
        known = ", ".join(sorted(departments))
        errors.append(FieldError(where, f"unknown department {value!r}; known: {known}"))
        return ""
    return value


def _rule(raw: Any, where: str, departments: set[str], errors: list[FieldError]) -> Rule | None:
    if not isinstance(raw, dict):
        errors.append(FieldError(where, "each rule must be a mapping with name, when and department"))
        return None
    when_raw = raw.get("when", {})
    if not isinstance(when_raw, dict):
        errors.append(FieldError(f"{where}.when", "must be a mapping of condition to values"))
        when_raw = {}
    for key in set(when_raw) - set(CONDITION_KEYS):
        errors.append(
            FieldError(f"{where}.when.{key}", f"unknown condition; use {', '.join(CONDITION_KEYS)}")
        )
    when = {k: _strings(v, f"{where}.when.{k}", errors) for k, v in when_raw.items() if k in CONDITION_KEYS}
    consult = _strings(raw.get("consult", []), f"{where}.consult", errors)
    return Rule(
        name=str(raw.get("name") or where),
        when=when,
        department=_department(raw.get("department"), f"{where}.department", departments, errors),
        consult=tuple(sorted(_department(d, f"{where}.consult", departments, errors) for d in consult)),
        monitor_only=bool(raw.get("monitor_only", False)),
    )


def parse_rules(data: Any, departments: set[str]) -> RuleSet:
    """Build a RuleSet from parsed YAML/JSON, naming every bad key in one error."""
    errors: list[FieldError] = []
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise ValidationFailed(
            "routing must be a mapping with a list of rules and a default department",
            [FieldError("routing", "expected {rules: [...], default: DEPARTMENT}")],
        )
    rules = [
        _rule(raw, f"routing.rules[{i}]", departments, errors) for i, raw in enumerate(data.get("rules", []))
    ]
    default = _department(data.get("default"), "routing.default", departments, errors)
    if errors:
        raise ValidationFailed("the routing rules are invalid", errors)
    return RuleSet(rules=tuple(r for r in rules if r is not None), default_department=default)
