"""The live in-app event; `users` keeps it to those people's screens only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sablier.events import Event


@dataclass(frozen=True)
class NotificationCreated(Event):
    name: ClassVar[str] = "notification.created"
    notification_id: int
    users: tuple[int, ...]
    kind: str
    urgency: str
    text_en: str
    text_fr: str
    case_id: int | None
