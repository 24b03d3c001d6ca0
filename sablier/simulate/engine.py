"""The discrete-event simulation: each department is a SimPy priority queue with as many servers as
people on shift; a case walks its model's path through them, and work only advances in open hours."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import simpy

from sablier.simulate.arrivals import Arrival, OrgShape
from sablier.simulate.handling import UNFAMILIAR, Handling
from sablier.simulate.paths import Plan, approvers, plan, publisher
from sablier.simulate.staffing import Staffing
from sablier.sla.business_hours import add_business_time
from sablier.sla.targets import resolve_target

HORIZON = timedelta(days=60)  # work still waiting this long after the last arrival counts as unanswered
Work = Generator[simpy.Event, Any, None]


@dataclass(frozen=True)
class Outcome:
    key: str
    intent: str
    target: float  # first-response target, minutes
    clock: str  # the target's clock: the owner's business hours, or 24/7
    arrived: datetime
    answered: datetime | None  # None: monitored only, or never answered within the horizon
    monitor_only: bool
    owner: str
    knows: str
    drafter: str
    handoffs: int
    approvals: int


class Hub:
    """One model's run: the departments' queues, the clock, and what each case went through."""

    def __init__(self, model: str, shape: OrgShape, staffing: Staffing, handling: Handling, origin: datetime):
        self.model, self.shape, self.staffing, self.handling = model, shape, staffing, handling
        self.env = simpy.Environment()
        self.origin = origin
        self.levels = {d: t.level for d, t in staffing.teams.items()}
        self.desks = {
            d: simpy.PriorityResource(self.env, capacity=t.people)
            for d, t in staffing.teams.items()
            if t.people
        }
        self.busy: dict[str, float] = dict.fromkeys(staffing.teams, 0.0)
        self.outcomes: list[Outcome] = []

    def clock(self) -> datetime:
        return self.origin + timedelta(minutes=self.env.now)

    def _until(self, at: datetime) -> float:
        return max(0.0, (at - self.origin).total_seconds() / 60 - self.env.now)

    def work(self, department: str, minutes: float, priority: int) -> Work:
        """One person of the department does `minutes` of work, in its open hours, most urgent first."""
        desk = self.desks.get(department)
        if desk is None:
            yield self.env.event()  # nobody on that team: the case waits for ever
            return
        calendar = self.staffing.team(department).calendar
        if not calendar.is_open(self.clock()):
            # wake at opening, the tightest targets a hair earlier so they are served first
            yield self.env.timeout(self._until(calendar.next_open(self.clock())) + priority * 1e-6)
        with desk.request(priority=priority) as turn:
            yield turn
            done = add_business_time(calendar, self.clock(), timedelta(minutes=minutes))
            yield self.env.timeout(self._until(done))
        self.busy[department] += minutes

    def _choose_drafter(self, path: Plan) -> str:
        """The owner, unless (distributed) it is busy and another qualified team is free and open now."""
        for department in path.drafters:
            desk = self.desks.get(department)
            calendar = self.staffing.team(department).calendar
            if desk is not None and desk.count < desk.capacity and calendar.is_open(self.clock()):
                return department
        return path.drafters[0]

    def together(self, tasks: list[tuple[str, str]], key: str, priority: int) -> Work:
        """Work asked of several departments at once (consults, approvals): done when all are."""
        running = [
            self.env.process(self.work(department, self.handling.minutes(key, task), priority))
            for department, task in tasks
        ]
        yield self.env.all_of(running)

    def case(self, arrival: Arrival) -> Work:
        """Triage by the central team, then the consults, the draft, the approvals and the publication."""
        key, path = arrival.key, plan(self.model, arrival, self.shape, self.levels)
        priority = round(self._target(arrival, path)[0])
        yield self.env.timeout(self._until(arrival.at))
        yield from self.work(self.shape.structure.central, self.handling.minutes(key, "triage"), priority)
        if path.monitor_only:
            self._record(arrival, path, "", None, 0)
            return
        if path.consults:
            yield from self.work(path.owner, self.handling.minutes(key, "ask"), priority)
            yield from self.together([(d, f"consult:{d}") for d in path.consults], key, priority)
        yield from self.answer(arrival, path, priority)

    def answer(self, arrival: Arrival, path: Plan, priority: int) -> Work:
        key, drafter = arrival.key, self._choose_drafter(path)
        draft = self.handling.minutes(key, "draft", arrival.intent)
        if drafter != path.knows and path.knows not in path.consults:
            draft *= UNFAMILIAR
        commits = self.handling.commits(key, arrival.intent)
        wanted = approvers(self.model, arrival, path, drafter, commits, self.shape, self.levels)
        publishing = publisher(self.model, arrival, path, drafter, self.shape, self.levels)
        publish = self.handling.minutes(key, "publish")
        if not wanted and publishing == drafter:  # no one to wait for: written and posted in one sitting
            yield from self.work(drafter, draft + publish, priority)
        else:
            yield from self.work(drafter, draft, priority)
            yield from self.together([(a, f"approve:{a}") for a in wanted], key, priority)
            yield from self.work(publishing, publish, priority)
        self._record(arrival, path, drafter, self.clock(), len(wanted))

    def _record(
        self, arrival: Arrival, path: Plan, drafter: str, answered: datetime | None, approvals: int
    ) -> None:
        self.outcomes.append(self._outcome(arrival, path, drafter, answered, approvals))

    def _target(self, arrival: Arrival, path: Plan) -> tuple[float, str]:
        """The owner's first-response target (the organisation's `slas:` first, then the defaults)."""
        found = resolve_target(arrival.intent, arrival.urgency, path.owner, self.shape.targets)
        return found.first_response.total_seconds() / 60, found.clock

    def _outcome(
        self, arrival: Arrival, path: Plan, drafter: str, answered: datetime | None, approvals: int
    ) -> Outcome:
        target, clock = self._target(arrival, path)
        return Outcome(
            arrival.key,
            arrival.intent,
            target,
            clock,
            arrival.at,
            answered,
            path.monitor_only,
            path.owner,
            path.knows,
            drafter,
            len(path.consults),
            approvals,
        )

    def run(self, arrivals: list[Arrival]) -> list[Outcome]:
        for arrival in arrivals:
            self.env.process(self.case(arrival))
        last = max((a.at for a in arrivals), default=self.origin)
        self.env.run(until=self._until(last + HORIZON) + self.env.now)
        finished = {o.key for o in self.outcomes}
        waiting = [a for a in arrivals if a.key not in finished]
        return self.outcomes + [self._unanswered(a) for a in waiting]

    def _unanswered(self, arrival: Arrival) -> Outcome:
        return self._outcome(arrival, plan(self.model, arrival, self.shape, self.levels), "", None, 0)

    def cost(self) -> float:
        return sum(minutes / 60 * self.staffing.team(d).hourly_cost for d, minutes in self.busy.items())
