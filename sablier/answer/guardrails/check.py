"""Check a draft reply against the organisation's guardrails before anything is published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sablier.answer.guardrails.checklist import find_checklist_gaps
from sablier.answer.guardrails.finding import Finding
from sablier.answer.guardrails.personal_data import find_personal_data
from sablier.answer.guardrails.phrases import (
    find_banned_phrases,
    find_exclamations,
    find_overflow,
    find_shouting,
)
from sablier.answer.guardrails.policy import GuardrailPolicy


@dataclass(frozen=True)
class GuardrailReport:
    findings: tuple[Finding, ...]

    @property
    def blocked(self) -> bool:
        return any(f.severity == "block" for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {"blocked": self.blocked, "findings": [f.to_json() for f in self.findings]}


def check_reply(
    text: str, policy: GuardrailPolicy, *, network: str | None = None, language: str | None = None
) -> GuardrailReport:
    """Every finding about a draft reply: blocking ones first, each group in reading order."""
    findings = [
        *find_personal_data(text, policy.allowed_contacts),
        *find_banned_phrases(text, policy.banned_phrases),
        *find_shouting(text, policy.max_uppercase_share),
        *find_exclamations(text, policy.max_exclamations),
        *find_overflow(text, network, policy.network_limits),
        *find_checklist_gaps(text, policy.signature, language),
    ]
    return GuardrailReport(tuple(sorted(findings, key=lambda f: (f.severity != "block", f.start))))
