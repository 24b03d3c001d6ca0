"""What the simulator replays: one arrival per case, as triage read and routed it, and the shape of
the organisation the operating models read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sablier.routing.approval_rules import ApprovalRule
from sablier.routing.decision import Decision
from sablier.routing.rules import RuleSet
from sablier.routing.structure import Structure
from sablier.sla.targets import Target


@dataclass(frozen=True)
class Arrival:
    """A case as it reaches the central team: when its first public message came, and its reading."""

    key: str  # stable identity: the case id for recorded traffic, a sequence number for synthetic
    at: datetime  # aware
    intent: str
    urgency: str
    language: str
    sentiment: str
    network: str
    decision: Decision  # the routing rules' answer: the department that knows, consulted, monitor only

    @property
    def crisis(self) -> bool:
        return self.intent == "crisis" or self.urgency == "critical"


@dataclass(frozen=True)
class OrgShape:
    """What the models need from the organisation file."""

    departments: tuple[str, ...]
    structure: Structure
    approval_rules: tuple[ApprovalRule, ...]
    rules: RuleSet
    targets: tuple[Target, ...] = ()  # the organisation's `slas:`, tried before the defaults
