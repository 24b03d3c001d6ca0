"""do_notify / do_notify_department: write the notifications and their outbox rows in the
caller's transaction. Nothing is sent here: the worker's deliver_notifications does, after commit,
so a notification of a rolled-back change never goes out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from sablier.bus import emit
from sablier.notify.events import NotificationCreated
from sablier.notify.models import CHANNELS, DepartmentChannel, Dispatch, Notification
from sablier.notify.preferences import Preferences, available_channels, preferences_for
from sablier.notify.schedule import HOURLY, KINDS, URGENCIES, digest_due, is_immediate
from sablier.organisation.models import Department
from sablier.per_batch import once_per_batch

DEPARTMENT_ROOMS = Preferences(immediate_from="normal", digest=HOURLY)  # a team room hears sooner


@dataclass(frozen=True)
class Note:
    kind: str
    urgency: str
    text_en: str
    text_fr: str
    case_id: int | None
    now: datetime

    def text(self, language: str) -> str:
        return self.text_fr if language == "fr" else self.text_en


def check_note(note: Note) -> None:
    if note.kind not in KINDS:
        raise ValueError(f"unknown notification kind {note.kind!r}; use one of {', '.join(KINDS)}")
    if note.urgency not in URGENCIES:
        raise ValueError(f"unknown urgency {note.urgency!r}; use one of {', '.join(URGENCIES)}")


def _dispatch(note: Note, channel: str, address: str, language: str, choices: Preferences) -> Dispatch:
    """One outbox row: due now when urgent enough for these choices, else with the next digest."""
    immediate = is_immediate(note.urgency, choices.immediate_from)
    zone = timezone.get_default_timezone()
    due = note.now if immediate else digest_due(note.now, choices.digest, choices.daily_hour, zone)
    return Dispatch(
        channel=channel,
        address=address,
        language=language,
        kind=note.kind,
        urgency=note.urgency,
        text=note.text(language),
        case_id=note.case_id,
        digest=not immediate,
        next_attempt_at=due,
        created_at=note.now,
    )


def _notify_person(user: User, note: Note, channels: set[str]) -> Notification:
    notification = Notification.objects.create(
        user=user,
        kind=note.kind,
        urgency=note.urgency,
        text_en=note.text_en,
        text_fr=note.text_fr,
        case_id=note.case_id,
        created_at=note.now,
    )
    choices = preferences_for(user)
    rows = [
        _dispatch(note, channel, route.address, choices.language, choices)
        for channel in CHANNELS
        if channel in channels and (route := choices.route(channel)).on and route.address
    ]
    for row in rows:
        row.user = user
    Dispatch.objects.bulk_create(rows)
    emit(
        NotificationCreated(
            notification.pk, (user.pk,), note.kind, note.urgency, note.text_en, note.text_fr, note.case_id
        )
    )
    return notification


def _notify(users: Iterable[User], note: Note) -> int:
    check_note(note)
    people = {u.pk: u for u in users if u.is_active}
    if not people:
        return 0
    channels = available_channels()
    with transaction.atomic():
        for user in people.values():
            _notify_person(user, note, channels)
    return len(people)


def do_notify(
    users: Iterable[User],
    kind: str,
    text_en: str,
    text_fr: str,
    *,
    case_id: int | None = None,
    urgency: str = "normal",
) -> int:
    """Notify each (active) person once, in-app and on the channels they chose; returns how many."""
    return _notify(users, Note(kind, urgency, text_en, text_fr, case_id, timezone.now()))


def _audience(
    department_slug: str, exclude_user_id: int | None
) -> tuple[Department, list[User], list[DepartmentChannel]]:
    department = Department.objects.filter(slug=department_slug).first()
    if department is None:
        raise ValueError(f"unknown department {department_slug!r}")
    members = User.objects.filter(memberships__department=department).distinct()
    if exclude_user_id is not None:
        members = members.exclude(pk=exclude_user_id)
    channels = available_channels()
    rooms = [c for c in DepartmentChannel.objects.filter(department=department) if c.channel in channels]
    return department, list(members), rooms


def do_notify_department(
    department_slug: str,
    kind: str,
    text_en: str,
    text_fr: str,
    *,
    case_id: int | None = None,
    urgency: str = "normal",
    exclude_user_id: int | None = None,
) -> int:
    """Notify the department's members (each as they chose, but not `exclude_user_id`, who acted)
    and the department's own channels; returns how many people and channels were reached."""
    department, members, rooms = once_per_batch(
        f"notify:{department_slug}:{exclude_user_id}", lambda: _audience(department_slug, exclude_user_id)
    )
    note = Note(kind, urgency, text_en, text_fr, case_id, timezone.now())
    if not members and not rooms:
        check_note(note)
        return 0
    with transaction.atomic():
        reached = _notify(members, note)
        rows = [
            _dispatch(note, room.channel, room.address, room.language, DEPARTMENT_ROOMS) for room in rooms
        ]
        for row in rows:
            row.department = department
        Dispatch.objects.bulk_create(rows)
    return reached + len(rows)
