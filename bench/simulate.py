"""Validate the operating-model simulator against the real hub.

    .venv/bin/python bench/simulate.py --quick      # the busiest recorded weekday
    .venv/bin/python bench/simulate.py              # every recorded day of the demo
    .venv/bin/python bench/simulate.py --quick --postgres postgresql://postgres@127.0.0.1:5432/test

Loads the demo organisation and its recorded mentions (at their recorded times), lets the worker
triage and route them, then *plays* the work through the real hub: the demo's people (one list per
department, the staffing `sablier simulate` reads) take each step in the order work becomes ready —
triage, the consults the case shows, the draft, every approval the hub asks for, the publication —
each after a handling time drawn from the simulator's distributions, only in their department's
business hours (the organisation's SLA calendars; Québec Mon-Fri 09:00-17:00 unless it says
otherwise), through the real do_* actions with the clock set to the end of
the step. The first responses are then measured from the CaseEvent trail, the same traffic is
simulated under the same model and staffing, and both distributions and the error are printed.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from contact_policy import scratch_database
from django_setup import setup_django

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
RECORDED_END = datetime(2026, 11, 26, 19, 45, 11, tzinfo=UTC)  # the demo's newest mention + 5 min:
# the demo loader shifts the mentions by (now - 5 min - newest), so with the clock here they keep their times


class Clock:
    """The hub's clock during the play: every do_* writes its CaseEvent at the step's end."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@dataclass(order=True)
class Step:
    ready: datetime
    seq: int
    run: Callable[[], None] = field(compare=False)


def hours(minutes: float) -> str:
    return f"{minutes / 60:7.2f} h"


class Play:
    """People of the demo organisation working through the real hub, earliest-ready step first."""

    def __init__(self, seed: int, clock: Clock) -> None:
        from django.contrib.auth.models import User

        from sablier.cases.traffic import organisation_shape, recorded_staffing
        from sablier.simulate.handling import Handling

        self.clock, self.handling = clock, Handling(seed)
        self.shape = organisation_shape()
        self.staffing = recorded_staffing(self.shape)
        self.users = list(User.objects.filter(memberships__isnull=False).distinct().order_by("username"))
        self.free: dict[int, datetime] = {}
        self.queue: list[Step] = []
        self.seq = itertools.count()
        self.handoffs = 0

    def members(self, department: str) -> list[Any]:
        return [u for u in self.users if u.memberships.filter(department__slug=department).exists()]

    def later(self, ready: datetime, run: Callable[[], None]) -> None:
        heapq.heappush(self.queue, Step(ready, next(self.seq), run))

    def work(
        self, people: list[Any], department: str, ready: datetime, minutes: float
    ) -> tuple[Any, datetime]:
        """The first free person among `people` does the work in the department's open hours."""
        from sablier.sla.business_hours import add_business_time

        calendar = self.staffing.team(department).calendar
        person = min(people, key=lambda u: (self.free.get(u.pk, ready), u.username))
        start = calendar.next_open(max(ready, self.free.get(person.pk, ready)))
        end = add_business_time(calendar, start, timedelta(minutes=minutes))
        self.free[person.pk] = end
        self.clock.at = end
        return person, end

    def run(self) -> None:
        while self.queue:
            heapq.heappop(self.queue).run()

    # the steps of one case ------------------------------------------------------------------------

    def triage(self, case_id: int, arrived: datetime) -> None:
        from sablier.cases import states
        from sablier.cases.models import Case
        from sablier.cases.triage import do_reroute_case

        central = self.shape.structure.central
        key = str(case_id)
        person, end = self.work(self.members(central), central, arrived, self.handling.minutes(key, "triage"))
        case = Case.objects.select_related("department").get(pk=case_id)
        if case.state == states.TRIAGED:  # left for a person: the central team routes it to the default
            decision = case.understanding.get("decision") or {}
            do_reroute_case(case, person, decision.get("department") or central, "bench: triaged by hand")
            case.refresh_from_db()
        if case.state == states.ROUTED:
            self.later(end, lambda: self.consult(case_id, end))

    def consult(self, case_id: int, ready: datetime) -> None:
        from sablier.cases.actions import do_comment_case
        from sablier.cases.models import Case

        case = Case.objects.select_related("department").get(pk=case_id)
        asked = list(case.consulted.values_list("slug", flat=True))
        owner, key = case.department.slug if case.department else "", str(case_id)
        if not asked:
            self.draft(case_id, ready)
            return
        person, end = self.work(self.members(owner), owner, ready, self.handling.minutes(key, "ask"))
        do_comment_case(case, person, " ".join(f"@{d}" for d in asked) + " what should we answer?")
        done = end
        for department in asked:
            minutes = self.handling.minutes(key, f"consult:{department}")
            expert, finished = self.work(self.members(department), department, end, minutes)
            do_comment_case(case, expert, "Here are the facts for the answer.")
            self.handoffs += 1
            done = max(done, finished)
        self.later(done, lambda: self.draft(case_id, done))

    def draft(self, case_id: int, ready: datetime) -> None:
        from sablier.cases import states
        from sablier.cases.actions import do_draft_reply, do_move_case
        from sablier.cases.approvals import latest_draft, open_approvals
        from sablier.cases.models import Case

        case = Case.objects.select_related("department").get(pk=case_id)
        owner, key = case.department.slug if case.department else "", str(case_id)
        author, end = self.work(
            self.members(owner), owner, ready, self.handling.minutes(key, "draft", case.intent)
        )
        do_draft_reply(case, author, TEXTS[(case.language == "fr", self.handling.commits(key, case.intent))])
        draft = latest_draft(case)
        assert draft is not None
        if not open_approvals(case, draft) and self.may_publish(author, case):
            # no approval and the author may publish: the same sitting, as the simulator counts it
            _, end = self.work([author], owner, end, self.handling.minutes(key, "publish"))
            do_move_case(case, author, states.ANSWERED)
            return
        if open_approvals(case, draft):
            do_move_case(case, author, states.AWAITING_APPROVAL)
        self.later(end, lambda: self.approve(case_id, end))

    def approve(self, case_id: int, ready: datetime) -> None:
        from sablier.cases.approvals import do_decide_approval, may_approve
        from sablier.cases.models import Approval, Case

        case = Case.objects.select_related("department").get(pk=case_id)
        owner, key, done = case.department.slug if case.department else "", str(case_id), ready
        for approval in case.approvals.filter(state=Approval.PENDING).order_by("pk"):
            slug = approval.approver.partition(":")[0]
            department = owner if approval.approver == "senior" else slug
            people = [u for u in self.users if may_approve(u, approval.approver, case)]
            minutes = self.handling.minutes(key, f"approve:{department}")
            person, end = self.work(people, department, ready, minutes)
            do_decide_approval(case, person, approval.pk, Approval.APPROVED)
            done = max(done, end)
        self.later(done, lambda: self.publish(case_id, done))

    def publish(self, case_id: int, ready: datetime) -> None:
        from sablier.cases import states
        from sablier.cases.actions import do_move_case
        from sablier.cases.models import Case

        case = Case.objects.select_related("department").get(pk=case_id)
        people = [u for u in self.users if self.may_publish(u, case)]
        department = self.shape.structure.central
        person, _ = self.work(people, department, ready, self.handling.minutes(str(case_id), "publish"))
        do_move_case(case, person, states.ANSWERED)

    @staticmethod
    def may_publish(user: Any, case: Any) -> bool:
        from sablier.cases.governance import check_may_publish
        from sablier.errors import NotAllowed

        try:
            check_may_publish(user, case)
        except NotAllowed:
            return False
        return True


TEXTS = {
    (False, False): "Thank you, we are on it and will reply here shortly.",
    (False, True): "We will refund the 25 $ fee on your account today.",
    (True, False): "Merci, nous nous en occupons et vous répondons ici sous peu.",
    (True, True): "Nous vous rembourserons les frais de 25 $ aujourd'hui.",
}


def load_demo(folder: Path, clock: Clock) -> None:
    from sablier.demo.loader import do_create_demo_people, do_load_demo_mentions
    from sablier.workers.cycle import run_single_cycle

    do_create_demo_people(folder / "credentials.json")
    do_load_demo_mentions()
    while run_single_cycle():
        pass


def chosen_days(arrivals: list[Any], quick: bool, zone: Any) -> list[Any]:
    """--quick: the busiest recorded weekday (in the central team's zone); otherwise everything."""
    if not quick:
        return arrivals
    days = Counter(a.at.astimezone(zone).date() for a in arrivals)
    busiest = max(sorted(d for d in days if d.weekday() < 5), key=lambda d: days[d])
    return [a for a in arrivals if a.at.astimezone(zone).date() == busiest]


def describe(name: str, values: list[float]) -> str:
    from sablier.simulate.summary import percentile

    cells = "  ".join(f"p{int(q * 100):<2} {hours(percentile(values, q) or 0.0)}" for q in QUANTILES)
    return f"{name:<10} n={len(values):<4} {cells}  mean {hours(statistics.fmean(values))}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="play the busiest recorded weekday only")
    parser.add_argument("--seed", type=int, default=1, help="the handling-time draws (default 1)")
    parser.add_argument("--postgres", metavar="URL", help="run on a scratch database on this server")
    args = parser.parse_args()
    name = f"sablier_bench_{os.getpid()}"
    url = scratch_database(args.postgres, name, create=True) if args.postgres else None
    try:
        with tempfile.TemporaryDirectory(prefix="sablier-bench-simulate-") as folder:
            setup_django(folder, url)
            return validate(Path(folder), args.quick, args.seed)
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            scratch_database(args.postgres, name, create=False)


def validate(folder: Path, quick: bool, seed: int) -> int:
    from sablier.cases.traffic import first_responses, recorded_arrivals
    from sablier.organisation.actions import current_organisation
    from sablier.simulate.engine import Hub
    from sablier.simulate.handling import Handling
    from sablier.simulate.summary import percentile

    clock = Clock(RECORDED_END)
    started = time.perf_counter()
    with mock.patch("django.utils.timezone.now", clock):
        load_demo(folder, clock)
        play = Play(seed, clock)
        zone = play.staffing.team(play.shape.structure.central).calendar.tz
        arrivals = chosen_days(recorded_arrivals(), quick, zone)
        for arrival in arrivals:
            play.later(arrival.at, lambda a=arrival: play.triage(int(a.key), a.at))
        play.run()
    played = time.perf_counter() - started
    model = current_organisation().operating_model
    measured_at = first_responses()
    needing = [a for a in arrivals if not a.decision.monitor_only]
    measured = [(measured_at[a.key] - a.at).total_seconds() / 60 for a in needing if a.key in measured_at]
    origin = arrivals[0].at - timedelta(minutes=1)
    outcomes = Hub(model, play.shape, play.staffing, Handling(seed), origin).run(arrivals)
    simulated = [
        (o.answered - o.arrived).total_seconds() / 60 for o in outcomes if o.answered and not o.monitor_only
    ]
    span = f"{arrivals[0].at:%Y-%m-%d %H:%M} to {arrivals[-1].at:%Y-%m-%d %H:%M} UTC"
    print(f"model {model}; {len(arrivals)} cases ({len(needing)} to answer), {span}; seed {seed}")
    teams = ", ".join(f"{d} {t.people} ({t.calendar.name})" for d, t in play.staffing.teams.items())
    print(f"staffing, people on shift (business hours): {teams}")
    print(f"played through the hub in {played:.1f} s; consult round-trips {play.handoffs}")
    print(describe("measured", measured))
    print(describe("simulated", simulated))
    for name, share in (("median", 0.5), ("p90", 0.9)):
        real = statistics.median(measured) if share == 0.5 else percentile(measured, share) or 0.0
        model_value = statistics.median(simulated) if share == 0.5 else percentile(simulated, share) or 0.0
        error = model_value - real
        print(
            f"{name:<6} first response: measured {real:7.1f} min, simulated {model_value:7.1f} min, "
            f"error {error:+7.1f} min ({error / real:+.1%})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
