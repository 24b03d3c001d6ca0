"""The hourglass board: the waist's incoming column beside every department's open queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from sablier.cases import states
from sablier.cases.access import Memberships, Viewer, memberships, visible_cases
from sablier.cases.models import Case
from sablier.cases.newest import COUNT_CAP, badge, count_upto, newest_ids, walks
from sablier.cases.queries import OPEN_STATES, UNREAD, scope_of, with_first_text
from sablier.listen.volumes import network_volumes
from sablier.organisation.models import Department

COLUMN_SIZE = 20


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    count: int  # up to COUNT_CAP + 1: a badge is not worth counting a million rows
    cases: Sequence[Case]

    @property
    def badge(self) -> str:
        return badge(self.count, COUNT_CAP)


def _column(key: str, title: str, sets: list[tuple[QuerySet[Case], Sequence[str]]], size: int) -> Column:
    """The newest `size` cases of the sets (cases, their states), and how many there are."""
    rows = newest_ids([w for cases, wanted in sets for w in walks(cases, wanted, size)], size)
    count = count_upto([w for cases, wanted in sets for w in walks(cases, wanted, COUNT_CAP + 1)], COUNT_CAP)
    page = Case.objects.filter(pk__in=rows).select_related("department", "clock").defer(*UNREAD)
    return Column(key, title, count, list(with_first_text(page).order_by("-pk")))


def _queue(
    actor: Viewer, known: Memberships, visible: QuerySet[Case], department: Department
) -> list[tuple[QuerySet[Case], Sequence[str]]]:
    """A department's open cases: those it owns and those it is consulted on, one walk per state."""
    owned = scope_of(actor, department.slug, known).filter(department=department)
    # Checked case by case along the state's cases: the department's consultations grow with history.
    asked = Case.consulted.through._default_manager.filter(
        case_id=OuterRef("pk"), department_id=department.pk
    )
    return [(owned, OPEN_STATES), (visible.filter(Exists(asked)), OPEN_STATES)]


@dataclass(frozen=True)
class Board:
    networks: list[tuple[str, int]]
    waist: list[Column]
    departments: list[Column]


def board(
    actor: Viewer,
    language: str,
    departments: list[str] | None,
    known: Memberships | None = None,
    size: int = COLUMN_SIZE,
) -> Board:
    """The central team's view (departments=None: every queue) or a member's own departments.
    `known`: the actor's memberships, if already read."""
    known = memberships(actor) if known is None else known
    visible = visible_cases(actor, known)
    waist = []
    networks = network_volumes() if departments is None else []
    if departments is None:
        waist.append(_column("incoming", _("Incoming"), [(visible, [states.NEW])], size))
        waist.append(_column("triage", _("Triage: a person decides"), [(visible, [states.TRIAGED])], size))
        waist.append(_column("monitor", _("Monitor only"), [(visible, [states.MONITOR_ONLY])], size))
    queues = [
        _column(dept.slug, dept.name(language), _queue(actor, known, visible, dept), size)
        for dept in Department.objects.all()
        if departments is None or dept.slug in departments
    ]
    return Board(networks, waist, queues)
