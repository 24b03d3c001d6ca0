"""A person's in-app notifications: theirs only (another's looks missing), unread first."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import BooleanField, ExpressionWrapper, Q

from sablier.errors import NotFound
from sablier.notify.models import Notification


def my_notifications(user: User, limit: int, unread_only: bool = False) -> list[Notification]:
    found = Notification.objects.filter(user=user)
    if unread_only:
        found = found.filter(read_at__isnull=True)
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return list(found.annotate(unread=unread).order_by("-unread", "-created_at", "-pk")[:limit])


def access_notification(user: User, notification_id: int) -> Notification:
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is None:
        raise NotFound(f"No notification {notification_id}.")
    return notification


def do_mark_read(notification: Notification, now: datetime) -> Notification:
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    notification.refresh_from_db()
    return notification


def do_mark_all_read(user: User, now: datetime) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
