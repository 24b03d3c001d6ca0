"""/api/crisis: the open crisis rooms for the central team, PR and legal; closing one."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from sablier.cases.access import person
from sablier.crisis.models import CrisisRoom
from sablier.crisis.rooms import access_room, check_crisis_team, do_close_room, open_rooms

router = Router(tags=["crisis"])


class RoomOut(Schema):
    id: int
    topic: str
    topics: list[str]
    kind: str
    statistic: str
    opened_at: datetime
    closed_at: datetime | None
    room_case_id: int
    case_ids: list[int]


def room_out(room: CrisisRoom) -> RoomOut:
    return RoomOut(
        id=room.pk,
        topic=room.topic,
        topics=list(room.topics),
        kind=room.kind,
        statistic=room.statistic,
        opened_at=room.opened_at,
        closed_at=room.closed_at,
        room_case_id=room.room_case_id,
        case_ids=sorted(c.pk for c in room.cases.all()),
    )


@router.get("", response=list[RoomOut])
def list_rooms(request: HttpRequest) -> list[RoomOut]:
    check_crisis_team(person(request.user))
    return [room_out(r) for r in open_rooms()]


@router.post("/{room_id}/close", response=RoomOut)
def close_room(request: HttpRequest, room_id: int) -> RoomOut:
    actor = person(request.user)
    return room_out(do_close_room(access_room(actor, room_id), actor, timezone.now()))
