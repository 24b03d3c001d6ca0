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
class CaseUpdate(Event):
    """Something happened to a case. `departments` are all it concerns (owner, previous owner,
    consulted), so that every screen that shows the case, or showed it, refreshes."""

    case_id: int
    state: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class CaseTriaged(CaseUpdate):
    name: ClassVar[str] = "case.triaged"


@dataclass(frozen=True)
class CaseRouted(CaseUpdate):
    name: ClassVar[str] = "case.routed"


@dataclass(frozen=True)
class CaseMoved(CaseUpdate):
    name: ClassVar[str] = "case.moved"


@dataclass(frozen=True)
class CaseCommented(CaseUpdate):
    name: ClassVar[str] = "case.commented"


@dataclass(frozen=True)
class CaseDrafted(CaseUpdate):
    name: ClassVar[str] = "case.drafted"


@dataclass(frozen=True)
class CaseFlagged(CaseUpdate):
    """The assessment asks the central team to watch (troll, rager: "notify HQ")."""

    name: ClassVar[str] = "case.flagged"


@dataclass(frozen=True)
class CasePresence(CaseUpdate):
    """Someone has the case open (and is perhaps writing a reply): the others see it live."""

    name: ClassVar[str] = "case.presence"
    user: str = ""
    drafting: bool = False


CASE_EVENT_NAMES = tuple(
    c.name for c in (CaseTriaged, CaseRouted, CaseMoved, CaseCommented, CaseDrafted, CaseFlagged)
)


@dataclass(frozen=True)
class StageItemDead(Event):
    """A pipeline stage gave up on an item: a dead letter for the central team."""

    name: ClassVar[str] = "pipeline.item_dead"
    failure_id: int
    stage: str
    item_id: int
    error: str
