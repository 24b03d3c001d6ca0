"""Every domain event, named "noun.past_verb"; what crosses the bus is JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    name: ClassVar[str] = "event"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, **asdict(self)}


@dataclass(frozen=True)
class MentionReceived(Event):
    name: ClassVar[str] = "mention.received"
    mention_id: int
    case_id: int


@dataclass(frozen=True)
class CaseChanged(Event):
    """A case moved, was routed, or got a comment or a draft; screens refresh from it."""

    name: ClassVar[str] = "case.changed"
    case_id: int
    state: str
    department: str | None
    verb: str


EVENT_TYPES: dict[str, type[Event]] = {cls.name: cls for cls in (MentionReceived, CaseChanged)}


def event_from_json(data: dict[str, Any]) -> Event:
    fields = {k: v for k, v in data.items() if k != "name"}
    return EVENT_TYPES[data["name"]](**fields)
