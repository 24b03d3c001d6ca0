"""Service-level targets per intent x urgency x department; pure.

Defaults come from published customer expectations (docs/decisions.md): crisis 30 min and critical
urgency (threats, safety) 15 min on a 24/7 clock; complaints and sales leads 60 min; questions 4 h;
everything else one business day (8 h). Everything but the crisis clocks runs in the owning
department's business time. The organisation's own targets are tried before these; the most
specific match wins (each of intent, urgency, department that is named counts one), first listed on
a tie, and first response and resolution are each taken from the best target that sets them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

BUSINESS, ALWAYS = "business", "24/7"
CLOCKS = (BUSINESS, ALWAYS)
WARN_AT = 0.75  # share of the target used when the owner is warned
_DURATION = re.compile(r"^(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?$")


@dataclass(frozen=True)
class Target:
    name: str
    intent: str = ""  # "" matches any
    urgency: str = ""
    department: str = ""
    first_response: timedelta | None = None
    resolution: timedelta | None = None
    clock: str = BUSINESS
    warn_at: float | None = None

    def matches(self, intent: str, urgency: str, department: str) -> bool:
        wanted = ((self.intent, intent), (self.urgency, urgency), (self.department, department))
        return all(not mine or mine == theirs for mine, theirs in wanted)

    @property
    def specificity(self) -> int:
        return sum(1 for part in (self.intent, self.urgency, self.department) if part)


@dataclass(frozen=True)
class Resolved:
    """The targets that apply to one case, and which entries they came from."""

    name: str
    first_response: timedelta
    resolution: timedelta
    clock: str
    warn_at: float


def _h(hours: float) -> timedelta:
    return timedelta(hours=hours)


DEFAULTS: tuple[Target, ...] = (
    Target("critical", urgency="critical", first_response=_h(0.25), resolution=_h(24), clock=ALWAYS),
    Target("crisis", intent="crisis", first_response=_h(0.5), resolution=_h(24), clock=ALWAYS),
    Target("complaint", intent="complaint", first_response=_h(1), resolution=_h(16)),
    Target("sales_lead", intent="sales_lead", first_response=_h(1), resolution=_h(8)),
    Target("question", intent="question", first_response=_h(4), resolution=_h(8)),
    Target("default", first_response=_h(8), resolution=_h(24)),
)


def _best(targets: tuple[Target, ...], intent: str, urgency: str, department: str, field: str) -> Target:
    candidates = [t for t in targets if t.matches(intent, urgency, department) and getattr(t, field)]
    return max(candidates, key=lambda t: t.specificity)  # max keeps the first of equals


def resolve_target(
    intent: str, urgency: str, department: str, organisation: tuple[Target, ...] = ()
) -> Resolved:
    """The first-response and resolution targets of a case; the 24/7 clock when either match says so."""
    targets = (*organisation, *DEFAULTS)
    first = _best(targets, intent, urgency, department, "first_response")
    resolution = _best(targets, intent, urgency, department, "resolution")
    warn = next((t.warn_at for t in (first, resolution) if t.warn_at is not None), WARN_AT)
    clock = ALWAYS if ALWAYS in (first.clock, resolution.clock) else BUSINESS
    name = first.name if first is resolution else f"{first.name}+{resolution.name}"
    assert first.first_response is not None and resolution.resolution is not None
    return Resolved(name, first.first_response, resolution.resolution, clock, warn)


def parse_duration(raw: object) -> timedelta:
    """`90` (minutes), "30m", "4h", "1h30m"; no days: a customer's day is a business day, write 8h."""
    if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
        return timedelta(minutes=raw)
    match = _DURATION.match(str(raw).strip()) if isinstance(raw, str) else None
    if match is None or not any(match.groups()):
        raise ValueError('write minutes or hours, e.g. 30m, 4h, 1h30m (a business day is "8h")')
    duration = timedelta(hours=int(match[1] or 0), minutes=int(match[2] or 0))
    if duration <= timedelta(0):
        raise ValueError("a target must be longer than zero")
    return duration
