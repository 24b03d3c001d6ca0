"""What a draft commits the organisation to: money amounts and promises, which a lead must approve."""

from __future__ import annotations

import re

from sablier.answer.guardrails.phrases import locate

AMOUNT = re.compile(
    r"(?:[$€£]\s?\d[\d\s.,]*\d|[$€£]\s?\d"
    r"|\d[\d\s.,]*\s?(?:\$|€|£|CAD|USD|EUR|dollars?|euros?)(?!\w))",
    re.IGNORECASE,
)
PROMISES = (
    "we will refund",
    "we'll refund",
    "we will reimburse",
    "we will credit",
    "we'll credit",
    "we promise",
    "we guarantee",
    "you will receive",
    "you'll receive",
    "free of charge",
    "compensation",
    "we will waive",
    "nous vous rembourserons",
    "nous allons vous rembourser",
    "vous serez rembourse",
    "nous promettons",
    "nous garantissons",
    "vous recevrez",
    "sans frais",
    "gratuitement",
    "dedommagement",
    "compensation financiere",
)


def commitments(text: str) -> dict[str, list[str]]:
    """{"amount": [...], "promise": [...]}: what was found, kind by kind (empty kinds left out)."""
    found: dict[str, list[str]] = {}
    amounts = [m.group(0).strip() for m in AMOUNT.finditer(text)]
    if amounts:
        found["amount"] = amounts
    promises = [text[start:end] for _, start, end in locate(text, PROMISES)]
    if promises:
        found["promise"] = promises
    return found
