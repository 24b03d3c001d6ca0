"""A department's own channels, from the `notify:` mapping of a department in the organisation
file: `{matrix_room: "!id:server", slack_webhook: "https://…", email: "team@…", language: fr}`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from sablier.errors import FieldError
from sablier.notify.addresses import ROOM_CHECKS
from sablier.notify.models import EMAIL, MATRIX, SLACK, DepartmentChannel
from sablier.notify.preferences import LANGUAGES
from sablier.organisation.models import Department

KEYS = {"matrix_room": MATRIX, "slack_webhook": SLACK, "email": EMAIL}


def check_department_channels(raw: Any, where: str) -> list[FieldError]:
    """Every problem of one `notify:` mapping, each named `{where}.{key}`."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        return [FieldError(where, f"a mapping of {', '.join(KEYS)} and language")]
    errors = [
        FieldError(f"{where}.{key}", f"unknown key; use {', '.join(KEYS)} or language")
        for key in raw
        if key not in (*KEYS, "language")
    ]
    for key, channel in KEYS.items():
        value = raw.get(key)
        if value is None:
            continue
        problem = ROOM_CHECKS[channel](value) if isinstance(value, str) else "a text"
        if problem:
            errors.append(FieldError(f"{where}.{key}", f"use {problem}"))
    if raw.get("language", "fr") not in LANGUAGES:
        errors.append(FieldError(f"{where}.language", f"use one of {', '.join(LANGUAGES)}"))
    return errors


def default_language() -> str:
    """The organisation's first language, for department rooms that do not say."""
    return next((code for code in settings.SABLIER.languages if code in LANGUAGES), "en")


def do_apply_department_channels(department: Department, raw: dict[str, Any] | None) -> None:
    """Replace the department's channels with those of a checked `notify:` mapping."""
    raw = raw or {}
    language = str(raw.get("language") or default_language())
    with transaction.atomic():
        DepartmentChannel.objects.filter(department=department).delete()
        DepartmentChannel.objects.bulk_create(
            DepartmentChannel(
                department=department, channel=channel, address=str(raw[key]).strip(), language=language
            )
            for key, channel in KEYS.items()
            if raw.get(key)
        )
