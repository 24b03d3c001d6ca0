"""What a guardrail reports: the rule, how serious, what matched and where, with sensitive values masked."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["block", "warn"]
EXCERPT = 60  # characters of context shown for a long match


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    excerpt: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def clip(text: str) -> str:
    """At most EXCERPT characters, ending with … when cut."""
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def mask_number(value: str) -> str:
    """Star the middle letters and digits, keeping separators and at most four at each end."""
    spots = [i for i, ch in enumerate(value) if ch.isalnum()]
    keep = min(4, len(spots) // 4)
    hidden = set(spots[keep : len(spots) - keep])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[0]}{'*' * (len(local) - 1)}@{domain}"


def mask_digits(value: str) -> str:
    return re.sub(r"\d", "*", value)
