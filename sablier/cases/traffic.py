"""The recorded traffic as the simulator replays it: one arrival per triaged case (its first public
message, its reading, the department the rules named), the organisation's shape and staffing, and the
first responses the audit trail measured."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Min, OuterRef, Subquery

from sablier.cases import states
from sablier.cases.models import Case, CaseEvent
from sablier.errors import FieldError, ValidationFailed
from sablier.listen.models import Mention
from sablier.organisation.actions import current_approval_rules, current_rules, current_structure
from sablier.organisation.models import Department, Membership
from sablier.routing import Decision
from sablier.routing.operating_models import MODEL_SLUGS
from sablier.routing.structure import LEVELS
from sablier.simulate.arrivals import Arrival, OrgShape
from sablier.simulate.run import simulate
from sablier.simulate.staffing import Staffing, default_staffing
from sablier.simulate.summary import ModelResult
from sablier.simulate.synthetic import Profile, synthetic_arrivals
from sablier.sla.business_hours import Calendar
from sablier.sla.policy import current_policy
from sablier.sla.targets import BUSINESS

SYNTHETIC_DAYS = 7
SYNTHETIC_START = (2026, 11, 16)  # a Monday; fixed, so a seed means the same traffic on any day


def organisation_shape() -> OrgShape:
    departments = tuple(Department.objects.order_by("pk").values_list("slug", flat=True))
    targets = current_policy().targets
    return OrgShape(departments, current_structure(), current_approval_rules(), current_rules(), targets)


def department_calendars(shape: OrgShape) -> dict[str, Calendar]:
    """Each department's business hours, as the SLA clocks read them."""
    policy = current_policy()
    return {d: policy.calendar(policy.calendar_name(d, BUSINESS)) for d in shape.departments}


def recorded_staffing(shape: OrgShape) -> Staffing:
    """One person on shift per member of each department, at the highest level among them, in the
    department's business hours."""
    rows = list(Membership.objects.values_list("department__slug", "level"))
    people = Counter(slug for slug, _ in rows)
    levels: dict[str, str] = {}
    for slug, level in rows:
        if level in LEVELS and LEVELS.index(level) >= LEVELS.index(levels.get(slug, "trainee")):
            levels[slug] = level
    head_count = {d: people.get(d, 0) for d in shape.departments}
    return default_staffing(shape.departments, head_count, levels, department_calendars(shape))


def _decision(case: Case, central: str) -> Decision:
    saved = case.understanding.get("decision") or {}
    department = saved.get("department") or (case.department.slug if case.department else central)
    return Decision(
        department,
        tuple(saved.get("consulted") or ()),
        bool(saved.get("monitor_only", case.state == states.MONITOR_ONLY)),
        str(saved.get("rule") or "manual"),
        (),
    )


def recorded_arrivals(days: int | None = None) -> list[Arrival]:
    """Every triaged case (or those of the last `days` days of traffic), oldest first."""
    first = Mention.objects.filter(case=OuterRef("pk"), direction="inbound").order_by("created_at", "pk")
    rows = list(
        Case.objects.exclude(state=states.NEW)
        .select_related("department")
        .annotate(
            opened=Subquery(first.values("created_at")[:1]), network=Subquery(first.values("network")[:1])
        )
        .exclude(opened=None)
        .order_by("opened", "pk")
    )
    if days is not None and rows:
        newest = max(c.opened for c in rows)
        rows = [c for c in rows if c.opened >= newest - timedelta(days=days)]
    central = current_structure().central
    return [
        Arrival(
            key=str(case.pk),
            at=case.opened,
            intent=case.intent or "other",
            urgency=case.urgency or "normal",
            language=case.language,
            sentiment=case.sentiment,
            network=case.network or "",
            decision=_decision(case, central),
        )
        for case in rows
    ]


def first_responses() -> dict[str, datetime]:
    """When each case was first answered, from the audit trail."""
    answered = CaseEvent.objects.filter(to_state=states.ANSWERED).values("case_id").annotate(first=Min("at"))
    return {str(row["case_id"]): row["first"] for row in answered}


def traffic(profile: str, days: int | None, seed: int, shape: OrgShape, staffing: Staffing) -> list[Arrival]:
    """The recorded traffic, or a synthetic week starting on a fixed Monday in the central team's zone."""
    if profile == "synthetic":
        zone = staffing.team(shape.structure.central).calendar.tz
        start = datetime(*SYNTHETIC_START, tzinfo=zone)
        return synthetic_arrivals(Profile(), start, days or SYNTHETIC_DAYS, seed, shape)
    arrivals = recorded_arrivals(days)
    if not arrivals:
        raise ValidationFailed(
            "no recorded traffic yet",
            [FieldError("profile", "import mentions and run `sablier worker --once`, or use synthetic")],
        )
    return arrivals


def compare_models(
    profile: str,
    days: int | None,
    seed: int,
    staffing: Staffing | None = None,
    models: tuple[str, ...] = MODEL_SLUGS,
) -> tuple[list[Arrival], list[ModelResult]]:
    """The traffic, and one result per model under the given staffing (default: the members)."""
    shape = organisation_shape()
    staffing = staffing or recorded_staffing(shape)
    arrivals = traffic(profile, days, seed, shape, staffing)
    return arrivals, simulate(arrivals, shape, staffing, seed, models)
