"""check_* for the addresses a notification can go to: each answers what to fix, or None."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from sablier.notify.models import EMAIL, MATRIX, SLACK

MATRIX_USER = re.compile(r"^@[a-z0-9._=/+\-]+:[A-Za-z0-9.\-]+(:\d{1,5})?$")
MATRIX_ROOM = re.compile(r"^[!#][^\s:]+:[A-Za-z0-9.\-]+(:\d{1,5})?$")
MAX_URL = 2000


def check_email_address(value: str) -> str | None:
    try:
        validate_email(value)
    except ValidationError:
        return "an e-mail address such as team@example.org"
    return None


def check_matrix_user(value: str) -> str | None:
    return None if MATRIX_USER.match(value) else "a Matrix user id such as @alice:example.org"


def check_matrix_room(value: str) -> str | None:
    return None if MATRIX_ROOM.match(value) else "a Matrix room id !id:server or alias #name:server"


def check_webhook_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(value) > MAX_URL:
        return "an http:// or https:// incoming-webhook URL"
    if parts.username or parts.password:
        return "an incoming-webhook URL without user:password"
    return None


PERSON_CHECKS = {EMAIL: check_email_address, MATRIX: check_matrix_user, SLACK: check_webhook_url}
ROOM_CHECKS = {EMAIL: check_email_address, MATRIX: check_matrix_room, SLACK: check_webhook_url}
