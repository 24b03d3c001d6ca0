"""Reading a delivery: its JSON, its lists, its times, and each item checked as a mention; an item
that cannot be read is kept with the reason, so the rest of the delivery goes on."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sablier.connectors.base import Fetched
from sablier.connectors.webhooks.inbound import MalformedDelivery
from sablier.errors import ValidationFailed
from sablier.listen.mention_input import check_mention


def json_object(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedDelivery(f"the body is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise MalformedDelivery(f"the body is a JSON {type(payload).__name__}, not an object")
    return payload


def obj(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one (a field missing or of the wrong type)."""
    return value if isinstance(value, dict) else {}


def listed(payload: dict[str, Any], key: str) -> list[Any]:
    value = payload.get(key, [])
    if not isinstance(value, list):
        raise MalformedDelivery(f"{key} is a {type(value).__name__}, not a list")
    return value


def parsed_time(value: Any, pattern: str) -> datetime | None:
    try:
        return datetime.strptime(str(value), pattern)
    except ValueError:
        return None


def iso_time(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def epoch_time(value: Any, milliseconds: bool = False) -> datetime | None:
    try:
        seconds = float(value) / (1000 if milliseconds else 1)
        return datetime.fromtimestamp(seconds, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def fetched(raw: dict[str, Any], **fields: Any) -> Fetched:
    """The item as a mention, or rejected naming what is missing or wrong."""
    if fields["created_at"] is None:
        return Fetched(raw, rejected="its time is missing or unreadable")
    author = {
        "handle": fields.pop("handle") or "",
        "display_name": fields.pop("display_name") or "",
        "profile_url": fields.pop("profile_url") or "",
    }
    try:
        mention = check_mention({**fields, "author": author})
    except ValidationFailed as exc:
        return Fetched(raw, rejected="; ".join(f"{e.field}: {e.message}" for e in exc.errors) or exc.message)
    return Fetched(raw, mention)
