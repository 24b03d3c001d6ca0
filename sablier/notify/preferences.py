"""Each person's choices: check_preferences validates, do_save_preferences stores, and
preferences_for answers with the defaults when nothing was chosen yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from sablier.errors import FieldError, ValidationFailed
from sablier.notify.addresses import PERSON_CHECKS
from sablier.notify.models import CHANNELS, EMAIL, MATRIX, SLACK, Preference
from sablier.notify.schedule import DIGESTS, HOURLY, URGENCIES

LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Route:
    on: bool
    address: str


@dataclass(frozen=True)
class Preferences:
    language: str = "en"
    immediate_from: str = "high"
    digest: str = HOURLY
    daily_hour: int = 8
    routes: dict[str, Route] = field(default_factory=dict)

    def route(self, channel: str) -> Route:
        return self.routes.get(channel, Route(False, ""))


def available_channels() -> set[str]:
    """The channels this hub can send on: e-mail and Matrix need their settings."""
    found = {SLACK}
    if settings.SABLIER.smtp is not None:
        found.add(EMAIL)
    if settings.SABLIER.matrix is not None:
        found.add(MATRIX)
    return found


def preferences_for(user: User) -> Preferences:
    row = Preference.objects.filter(user_id=user.pk).first()
    if row is None:
        language = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in LANGUAGES else "en"
        return Preferences(language=language, routes={EMAIL: Route(bool(user.email), user.email)})
    return Preferences(
        language=row.language,
        immediate_from=row.immediate_from,
        digest=row.digest,
        daily_hour=row.daily_hour,
        routes={c: Route(getattr(row, f"{c}_on"), getattr(row, f"{c}_address")) for c in CHANNELS},
    )


def _choice(raw: dict[str, Any], name: str, allowed: tuple[str, ...], errors: list[FieldError]) -> None:
    if raw.get(name) not in allowed:
        errors.append(FieldError(name, f"use one of {', '.join(allowed)}"))


def _route(raw: Any, channel: str, errors: list[FieldError]) -> Route:
    if not isinstance(raw, dict) or not isinstance(raw.get("on"), bool):
        errors.append(FieldError(channel, 'give {"on": true|false, "address": "…"}'))
        return Route(False, "")
    address = str(raw.get("address") or "").strip()
    problem = PERSON_CHECKS[channel](address) if address or raw["on"] else None
    if problem:
        errors.append(FieldError(f"{channel}.address", f"use {problem}"))
    return Route(raw["on"], address)


def check_preferences(raw: dict[str, Any]) -> Preferences:
    """Every field of the request checked; a channel turned on needs a valid address."""
    errors: list[FieldError] = []
    _choice(raw, "language", LANGUAGES, errors)
    _choice(raw, "immediate_from", URGENCIES, errors)
    _choice(raw, "digest", DIGESTS, errors)
    hour = raw.get("daily_hour")
    if not isinstance(hour, int) or isinstance(hour, bool) or not 0 <= hour <= 23:
        errors.append(FieldError("daily_hour", "an hour from 0 to 23"))
    routes = {c: _route(raw.get(c), c, errors) for c in CHANNELS}
    if errors:
        raise ValidationFailed("The notification preferences are invalid.", errors)
    return Preferences(raw["language"], raw["immediate_from"], raw["digest"], int(hour or 0), routes)


def do_save_preferences(user: User, chosen: Preferences) -> Preferences:
    fields: dict[str, Any] = {
        "language": chosen.language,
        "immediate_from": chosen.immediate_from,
        "digest": chosen.digest,
        "daily_hour": chosen.daily_hour,
    }
    for channel in CHANNELS:
        route = chosen.route(channel)
        fields.update({f"{channel}_on": route.on, f"{channel}_address": route.address})
    Preference.objects.update_or_create(user=user, defaults=fields)
    return preferences_for(user)
