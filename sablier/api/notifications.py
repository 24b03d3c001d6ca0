"""/api/notifications: my notifications (unread first), marking them read, and my preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from sablier.cases.access import person
from sablier.notify.inbox import access_notification, do_mark_all_read, do_mark_read, my_notifications
from sablier.notify.models import CHANNELS, Notification
from sablier.notify.preferences import (
    Preferences,
    available_channels,
    check_preferences,
    do_save_preferences,
    preferences_for,
)

router = Router(tags=["notifications"])
Urgency = Literal["low", "normal", "high", "critical"]


class NotificationOut(Schema):
    id: int
    kind: str
    urgency: str
    text: str
    text_en: str
    text_fr: str
    case_id: int | None
    created_at: datetime
    read_at: datetime | None


class NotificationList(Schema):
    unread: int
    items: list[NotificationOut]


class ListQuery(Schema):
    limit: int = Field(default=50, ge=1, le=500)
    unread_only: bool = False


class RouteIn(Schema):
    on: bool
    address: str = Field(default="", max_length=2000)


class RouteOut(RouteIn):
    available: bool


class PreferencesIn(Schema):
    language: Literal["en", "fr"]
    immediate_from: Urgency = "high"
    digest: Literal["hourly", "daily"] = "hourly"
    daily_hour: int = Field(default=8, ge=0, le=23)
    email: RouteIn = RouteIn(on=False)
    matrix: RouteIn = RouteIn(on=False)
    slack: RouteIn = RouteIn(on=False)


class PreferencesOut(Schema):
    language: str
    immediate_from: str
    digest: str
    daily_hour: int
    email: RouteOut
    matrix: RouteOut
    slack: RouteOut


def notification_out(notification: Notification, language: str) -> NotificationOut:
    return NotificationOut(
        id=notification.pk,
        kind=notification.kind,
        urgency=notification.urgency,
        text=notification.text(language),
        text_en=notification.text_en,
        text_fr=notification.text_fr,
        case_id=notification.case_id,
        created_at=notification.created_at,
        read_at=notification.read_at,
    )


def preferences_out(chosen: Preferences) -> PreferencesOut:
    available = available_channels()
    routes = {
        c: RouteOut(on=chosen.route(c).on, address=chosen.route(c).address, available=c in available)
        for c in CHANNELS
    }
    return PreferencesOut(
        language=chosen.language,
        immediate_from=chosen.immediate_from,
        digest=chosen.digest,
        daily_hour=chosen.daily_hour,
        **routes,
    )


@router.get("", response=NotificationList)
def list_notifications(request: HttpRequest, query: Query[ListQuery]) -> NotificationList:
    user = person(request.user)
    language = preferences_for(user).language
    found = my_notifications(user, query.limit, query.unread_only)
    unread = user.notifications.filter(read_at__isnull=True).count()
    return NotificationList(unread=unread, items=[notification_out(n, language) for n in found])


@router.get("/preferences", response=PreferencesOut)
def get_preferences(request: HttpRequest) -> PreferencesOut:
    return preferences_out(preferences_for(person(request.user)))


@router.put("/preferences", response=PreferencesOut)
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> PreferencesOut:
    user = person(request.user)
    return preferences_out(do_save_preferences(user, check_preferences(payload.model_dump())))


@router.post("/read-all", response=dict[str, int])
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": do_mark_all_read(person(request.user), timezone.now())}


@router.post("/{notification_id}/read", response=NotificationOut)
def mark_read(request: HttpRequest, notification_id: int) -> NotificationOut:
    user = person(request.user)
    notification = do_mark_read(access_notification(user, notification_id), timezone.now())
    return notification_out(notification, preferences_for(user).language)
