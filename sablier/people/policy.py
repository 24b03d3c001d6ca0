"""The contact policy, decided from facts: may this person be contacted for this purpose? Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sablier.errors import FieldError, ValidationFailed

MARKETING, SERVICE = "marketing", "service"
PURPOSES = (MARKETING, SERVICE)
ALL_CHANNELS = "*"


def check_purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValidationFailed(
            "unknown purpose", [FieldError("purpose", f"use one of {', '.join(PURPOSES)}")]
        )
    return purpose


@dataclass(frozen=True)
class HoldFact:
    case_id: int
    reason: str
    department: str
    until: datetime | None


@dataclass(frozen=True)
class OptOutFact:
    channel: str
    reason: str


@dataclass(frozen=True)
class PolicyAnswer:
    may_contact: bool
    purpose: str
    reasons: tuple[str, ...]
    hold_until: datetime | None
    person_id: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "may_contact": self.may_contact,
            "purpose": self.purpose,
            "reasons": list(self.reasons),
            "hold_until": self.hold_until.isoformat() if self.hold_until else None,
            "person_id": self.person_id,
        }


def _hold_reasons(holds: Sequence[HoldFact], cooloff_days: int) -> list[str]:
    reasons = []
    for hold in holds:
        owner = f" (owner: {hold.department})" if hold.department else ""
        if hold.until is None:
            reasons.append(f"service hold: {hold.reason}{owner}; lasts until it closes + {cooloff_days} days")
        else:
            reasons.append(f"service hold: {hold.reason}{owner}, cooling off until {hold.until.isoformat()}")
    return reasons


def decide(
    person_id: int | None,
    holds: Sequence[HoldFact],
    opt_outs: Sequence[OptOutFact],
    channel: str | None,
    purpose: str,
    now: datetime,
    cooloff_days: int = 14,
) -> PolicyAnswer:
    """`holds` and `opt_outs` are the person's, across all their handles: the least permissive wins."""
    if person_id is None:
        return PolicyAnswer(True, purpose, ("not known to the hub",), None, None)
    if purpose == SERVICE:
        return PolicyAnswer(True, purpose, ("service messages are always allowed",), None, person_id)
    active = [h for h in holds if h.until is None or h.until > now]
    blocking = [o for o in opt_outs if channel is None or o.channel in (channel, ALL_CHANNELS)]
    reasons = [
        f"opted out of {o.channel if o.channel != ALL_CHANNELS else 'every channel'}: {o.reason}"
        for o in blocking
    ] + _hold_reasons(active, cooloff_days)
    open_ended = any(h.until is None for h in active)
    until = None if open_ended or not active else max(h.until for h in active if h.until is not None)
    if not reasons:
        return PolicyAnswer(True, purpose, ("no hold and no opt-out",), None, person_id)
    return PolicyAnswer(False, purpose, tuple(reasons), until, person_id)
