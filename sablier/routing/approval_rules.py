"""Approval rules as data: which drafts need whose approval before they go public.

An approver is a department slug (any member), `slug:lead` (a lead of it) or `senior` (a person of
senior training level in the owning department or the central team)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sablier.errors import FieldError, ValidationFailed

CONDITIONS = (
    "intent",
    "urgency",
    "sentiment",
    "department",
    "network",
    "language",
    "author_level",
    "draft_has",
)
DRAFT_FINDINGS = ("amount", "promise")
SENIOR = "senior"


@dataclass(frozen=True)
class ApprovalRule:
    name: str
    when: dict[str, frozenset[str]]
    approvers: tuple[str, ...]


@dataclass(frozen=True)
class DraftFacts:
    intent: str
    urgency: str
    sentiment: str
    department: str
    network: str
    language: str
    author_level: str
    draft_has: dict[str, list[str]]


@dataclass(frozen=True)
class Requirement:
    approver: str
    reason: str


def _matches(rule: ApprovalRule, facts: DraftFacts) -> list[str] | None:
    reasons = []
    for key, wanted in rule.when.items():
        if key == "draft_has":
            hits = [
                f"{kind} {', '.join(repr(x) for x in facts.draft_has[kind])}"
                for kind in sorted(wanted & set(facts.draft_has))
            ]
            if not hits:
                return None
            reasons.append("the draft has " + "; ".join(hits))
        elif getattr(facts, key) in wanted:
            reasons.append(f"{key} is {getattr(facts, key)}")
        else:
            return None
    return reasons


def required_approvals(rules: tuple[ApprovalRule, ...], facts: DraftFacts) -> list[Requirement]:
    """Every approver that every matching rule asks for, each once, with the first rule's reason."""
    seen: dict[str, Requirement] = {}
    for rule in rules:
        reasons = _matches(rule, facts)
        if reasons is None:
            continue
        for approver in rule.approvers:
            seen.setdefault(
                approver, Requirement(approver, f"rule {rule.name!r}: {'; '.join(reasons) or 'always'}")
            )
    return list(seen.values())


def _strings(value: Any, where: str, errors: list[FieldError]) -> frozenset[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
        errors.append(FieldError(where, "a string or a non-empty list of strings"))
        return frozenset()
    return frozenset(items)


def _approver_ok(approver: str, departments: set[str]) -> bool:
    slug, _, role = approver.partition(":")
    return approver == SENIOR or (slug in departments and role in ("", "lead"))


def _rule(raw: Any, where: str, departments: set[str], errors: list[FieldError]) -> ApprovalRule | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("when", {}), dict):
        errors.append(FieldError(where, "each approval rule is a mapping with name, when and approvers"))
        return None
    when = {}
    for key, value in raw.get("when", {}).items():
        if key not in CONDITIONS:
            errors.append(
                FieldError(f"{where}.when.{key}", f"unknown condition; use {', '.join(CONDITIONS)}")
            )
            continue
        when[key] = _strings(value, f"{where}.when.{key}", errors)
        if key == "draft_has" and not when[key] <= set(DRAFT_FINDINGS):
            errors.append(FieldError(f"{where}.when.draft_has", f"use {', '.join(DRAFT_FINDINGS)}"))
    approvers = _strings(raw.get("approvers"), f"{where}.approvers", errors)
    for approver in sorted(approvers):
        if not _approver_ok(approver, departments):
            known = ", ".join(sorted(departments))
            errors.append(
                FieldError(
                    f"{where}.approvers", f"{approver!r}: use a department ({known}), dept:lead or senior"
                )
            )
    return ApprovalRule(str(raw.get("name") or where), when, tuple(sorted(approvers)))


def parse_approval_rules(
    data: Any, departments: set[str], where: str = "approvals"
) -> tuple[ApprovalRule, ...]:
    if data is None:
        return ()
    errors: list[FieldError] = []
    if not isinstance(data, list):
        raise ValidationFailed("invalid approval rules", [FieldError(where, "a list of rules")])
    rules = [_rule(raw, f"{where}[{i}]", departments, errors) for i, raw in enumerate(data)]
    if errors:
        raise ValidationFailed("invalid approval rules", errors)
    return tuple(r for r in rules if r is not None)
