"""The hourglass board: the waist's incoming column beside every department's open queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sablier.cases import states
from sablier.cases.models import Case
from sablier.cases.queries import with_first_text
from sablier.listen.models import Mention
from sablier.organisation.models import Department

QUEUE_STATES = (
    states.ROUTED,
    states.IN_DEPARTMENT,
    states.DRAFTED,
    states.AWAITING_APPROVAL,
    states.REOPENED,
)
COLUMN_SIZE = 20


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    count: int
    cases: Sequence[Case]


def _column(key: str, title: str, cases: QuerySet[Case], size: int) -> Column:
    rows = list(with_first_text(cases.select_related("department", "clock")).order_by("-pk")[:size])
    return Column(key, title, cases.count(), rows)


def _queue(visible: QuerySet[Case], department: Department) -> QuerySet[Case]:
    """A department's open cases: those it owns and those it is consulted on."""
    mine = Q(department=department) | Q(consulted=department)
    return visible.filter(mine, state__in=QUEUE_STATES).distinct()


@dataclass(frozen=True)
class Board:
    networks: list[tuple[str, int]]
    waist: list[Column]
    departments: list[Column]


def network_volumes() -> list[tuple[str, int]]:
    """How many inbound messages each network brought, busiest first: the top of the hourglass."""
    rows = Mention.objects.filter(direction="inbound").values("network").annotate(n=Count("pk"))
    return sorted(((row["network"], row["n"]) for row in rows), key=lambda pair: -pair[1])


def board(
    visible: QuerySet[Case], language: str, departments: list[str] | None, size: int = COLUMN_SIZE
) -> Board:
    """The central team's view (departments=None: every queue) or a member's own departments."""
    waist = []
    networks = network_volumes() if departments is None else []
    if departments is None:
        waist.append(_column("incoming", _("Incoming"), visible.filter(state=states.NEW), size))
        waist.append(
            _column("triage", _("Triage: a person decides"), visible.filter(state=states.TRIAGED), size)
        )
        waist.append(_column("monitor", _("Monitor only"), visible.filter(state=states.MONITOR_ONLY), size))
    queues = [
        _column(dept.slug, dept.name(language), _queue(visible, dept), size)
        for dept in Department.objects.all()
        if departments is None or dept.slug in departments
    ]
    return Board(networks, waist, queues)
