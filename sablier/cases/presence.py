"""Who has a case open right now: a heartbeat per viewer, so two people on one case see each other."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from sablier.bus import emit
from sablier.cases.models import Case, CaseViewer
from sablier.cases.transitions import concerned_departments
from sablier.events import CasePresence

FRESH = timedelta(seconds=30)


def viewers_of(case: Case, now: datetime | None = None, but: User | None = None) -> list[dict[str, object]]:
    since = (now or timezone.now()) - FRESH
    rows = (
        CaseViewer.objects.filter(case=case, seen_at__gte=since)
        .select_related("user")
        .order_by("user__username")
    )
    return [
        {"user": row.user.get_username(), "drafting": row.drafting, "seen_at": row.seen_at}
        for row in rows
        if but is None or row.user_id != but.pk
    ]


def do_mark_viewing(
    case: Case, actor: User, drafting: bool = False, now: datetime | None = None
) -> list[dict[str, object]]:
    """Record the heartbeat, tell the others, and return who else is on the case."""
    now = now or timezone.now()
    CaseViewer.objects.update_or_create(
        case=case, user=actor, defaults={"seen_at": now, "drafting": drafting}
    )
    others = viewers_of(case, now, but=actor)
    emit(
        CasePresence(
            case_id=case.pk,
            state=case.state,
            departments=concerned_departments(case),
            user=actor.get_username(),
            drafting=drafting,
        )
    )
    return others


def do_leave_case(case: Case, actor: User) -> None:
    CaseViewer.objects.filter(case=case, user=actor).delete()
