"""The path of one case under one operating model: who triages, whom the owner consults, who may
draft, whose approval the answer waits for and who publishes — read from the routing package's own
functions (own, may_draft, may_publish, model_approvers, required_approvals), never re-stated."""

from __future__ import annotations

from dataclasses import dataclass

from sablier.routing.approval_rules import SENIOR, DraftFacts, required_approvals
from sablier.routing.operating_models import Actor, CaseFacts, may_draft, may_publish, model_approvers, own
from sablier.simulate.arrivals import Arrival, OrgShape

COMMITTED = {"amount": ["(simulated)"], "promise": ["(simulated)"]}


@dataclass(frozen=True)
class Plan:
    monitor_only: bool
    owner: str  # who owns the case under the model
    knows: str  # the department the routing rules name: the function that knows the answer
    consults: tuple[str, ...]  # internal round-trips before the answer is written
    drafters: tuple[str, ...]  # who may write it, preferred first (several only when distributed)


def actor(department: str, level: str, shape: OrgShape) -> Actor:
    return Actor(frozenset({department}), department == shape.structure.central, level)


def facts(owner: str, arrival: Arrival) -> CaseFacts:
    return CaseFacts(owner, arrival.intent, arrival.crisis)


def plan(model: str, arrival: Arrival, shape: OrgShape, levels: dict[str, str]) -> Plan:
    structure, decision = shape.structure, arrival.decision
    ownership = own(model, decision, arrival.crisis, structure)
    owner = ownership.department
    hubs = (
        {u.hub for u in structure.units} | {structure.hub_of(owner)}
        if model == "multiple-hub-and-spoke"
        else set()
    )
    consults = tuple(d for d in ownership.consulted if d not in hubs)
    case = facts(owner, arrival)
    drafters = [owner]
    if model == "distributed" and owner not in structure.private:
        drafters += [
            d
            for d in shape.departments
            if d != owner
            and d not in structure.private
            and may_draft(model, actor(d, levels.get(d, "enrolled"), shape), case, structure) is None
        ]
    return Plan(decision.monitor_only, owner, decision.department, consults, tuple(drafters))


def approvers(
    model: str,
    arrival: Arrival,
    plan: Plan,
    drafter: str,
    commits: bool,
    shape: OrgShape,
    levels: dict[str, str],
) -> tuple[str, ...]:
    """The departments whose approval the draft waits for: the organisation's rules, then the model's."""
    if model == "solo":
        return ()
    level = levels.get(drafter, "enrolled")
    draft = DraftFacts(
        intent=arrival.intent,
        urgency=arrival.urgency,
        sentiment=arrival.sentiment,
        department=plan.owner,
        network=arrival.network,
        language=arrival.language,
        author_level=level,
        draft_has=COMMITTED if commits else {},
    )
    wanted = [r.approver for r in required_approvals(shape.approval_rules, draft)]
    case = facts(plan.owner, arrival)
    wanted += [a for a, _ in model_approvers(model, actor(drafter, level, shape), case, shape.structure)]
    central = shape.structure.central
    senior = plan.owner if levels.get(plan.owner) == "senior" else central
    departments = [senior if a == SENIOR else a.partition(":")[0] for a in wanted]
    return tuple(dict.fromkeys(departments))


def publisher(
    model: str, arrival: Arrival, plan: Plan, drafter: str, shape: OrgShape, levels: dict[str, str]
) -> str:
    """The first of the drafter, the owner's hub, the crisis lead and the central team that may publish."""
    structure = shape.structure
    case = facts(plan.owner, arrival)
    candidates = [drafter, structure.hub_of(plan.owner), *structure.crisis_team[:1], structure.central]
    return next(
        (
            d
            for d in candidates
            if may_publish(model, actor(d, levels.get(d, "enrolled"), shape), case, structure) is None
        ),
        structure.central,
    )
