"""The events an endpoint may subscribe to; other modules add theirs with `KNOWN_EVENTS.add(...)`."""

from __future__ import annotations

ALL_EVENTS = "*"

KNOWN_EVENTS: set[str] = {
    "hold.started",
    "hold.ended",
    "opt_out.added",
    "person.merged",
    "person.split",
}


def is_known_event(name: str) -> bool:
    return name in KNOWN_EVENTS


def subscribes_to(events: list[str], name: str) -> bool:
    return ALL_EVENTS in events or name in events
