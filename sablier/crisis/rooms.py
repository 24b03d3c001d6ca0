"""Crisis rooms: a shared case owned by PR whose internal thread is the room, grouping the cases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from sablier.answer.crisis_freeze import do_freeze_promotions
from sablier.cases import states
from sablier.cases.access import Viewer, department_slugs, is_central
from sablier.cases.models import Case
from sablier.cases.transitions import do_transition_case, record_event
from sablier.crisis.detector import Verdict
from sablier.crisis.models import CrisisRoom, TopicAlarm
from sablier.errors import IllegalTransition, NotAllowed, NotFound
from sablier.events import CaseFlagged, CaseMoved
from sablier.notify.actions import do_notify_department
from sablier.organisation.models import Department

OWNER = "pr"
TEAM = ("pr", "legal")  # told, with the central team, and allowed to see the rooms


def crisis_team() -> list[str]:
    central = Department.objects.filter(is_central=True).values_list("slug", flat=True)
    wanted = [*TEAM, *central]
    known = set(Department.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    return [slug for slug in dict.fromkeys(wanted) if slug in known]


def check_crisis_team(actor: Viewer) -> None:
    if not (is_central(actor) or set(TEAM) & set(department_slugs(actor))):
        raise NotAllowed("Only the central team, PR and legal see crisis rooms.")


def open_rooms() -> QuerySet[CrisisRoom]:
    return CrisisRoom.objects.filter(closed_at__isnull=True).prefetch_related("cases")


def access_room(actor: Viewer, room_id: int) -> CrisisRoom:
    check_crisis_team(actor)
    room = CrisisRoom.objects.filter(pk=room_id).select_related("room_case").first()
    if room is None:
        raise NotFound(f"no crisis room {room_id}")
    return room


def _room_case(topic: str, verdict: Verdict, now: datetime) -> Case:
    owner = Department.objects.filter(slug=OWNER).first() or Department.objects.get(is_central=True)
    case = Case.objects.create(
        department=owner,
        intent="crisis",
        urgency="critical",
        sentiment="negative",
        last_message_at=now,
        reasons=[
            f"crisis room for {topic}: {verdict.kind} alert",
            verdict.statistic,
            f"the test: {verdict.rule}",
        ],
    )
    case.consulted.set(Department.objects.filter(slug__in=crisis_team()).exclude(pk=owner.pk))
    do_transition_case(case, states.TRIAGED, None, "crisis room", {"topic": topic})
    do_transition_case(case, states.ROUTED, None, "crisis room", {"topic": topic, "department": owner.slug})
    return case


def do_open_room(topic: str, verdict: Verdict, cases: Iterable[Case], now: datetime) -> CrisisRoom:
    """Open the room, tell PR, legal and the central team; joining cases freeze promotion on their topics."""
    with transaction.atomic():
        room_case = _room_case(topic, verdict, now)
        room = CrisisRoom.objects.create(
            topic=topic,
            topics=[topic],
            kind=verdict.kind,
            statistic=verdict.statistic,
            opened_at=now,
            room_case=room_case,
        )
        record_event(room_case, None, "crisis.opened", CaseFlagged, {"topic": topic, "kind": verdict.kind})
        do_join_room(room, cases, now)
        text_en = f"Crisis on {topic}: {verdict.statistic}. Crisis room: case #{room_case.pk}."
        text_fr = f"Crise sur {topic} : {verdict.statistic_fr}. Salle de crise : dossier no {room_case.pk}."
        for slug in crisis_team():
            do_notify_department(slug, "crisis", text_en, text_fr, case_id=room_case.pk, urgency="critical")
    return room


def do_join_room(room: CrisisRoom, cases: Iterable[Case], now: datetime) -> int:
    """Add cases not yet in the room; each gets the room in its audit trail. Returns how many."""
    present = set(room.cases.values_list("pk", flat=True)) | {room.room_case_id}
    joining = [c for c in cases if c.pk not in present]
    if not joining:
        return 0
    with transaction.atomic():
        room.cases.add(*joining)
        for case in joining:
            detail = {"room": room.pk, "room_case": room.room_case_id, "topic": room.topic}
            record_event(case, None, "crisis.joined", CaseFlagged, detail)
            # The freeze reads a case's opening message, which the room case has not: each member's
            # own words name the topics to pause (a no-op for posts already paused).
            do_freeze_promotions(case, now)
    return len(joining)


def do_add_topic(room: CrisisRoom, topic: str, verdict: Verdict) -> None:
    if topic not in room.topics:
        room.topics = [*room.topics, topic]
        room.save(update_fields=["topics"])
        detail = {"topic": topic, "kind": verdict.kind, "statistic": verdict.statistic}
        record_event(room.room_case, None, "crisis.topic_added", CaseFlagged, detail)


def do_close_room(room: CrisisRoom, actor: User, now: datetime) -> CrisisRoom:
    if room.closed_at is not None:
        raise IllegalTransition(f"crisis room {room.pk} is already closed")
    with transaction.atomic():
        if not CrisisRoom.objects.filter(pk=room.pk, closed_at__isnull=True).update(
            closed_at=now, closed_by=actor
        ):
            raise IllegalTransition(f"crisis room {room.pk} is already closed")
        TopicAlarm.objects.filter(room=room).update(room=None)
        case = room.room_case
        record_event(case, actor, "crisis.closed", CaseMoved, {"room": room.pk})
        if states.CASE_STATES.allows(case.state, states.CLOSED):
            do_transition_case(case, states.CLOSED, actor, "crisis closed")
    room.refresh_from_db()
    return room
