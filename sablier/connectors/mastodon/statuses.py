"""Mastodon statuses, notifications and conversations as the hub's mentions; a payload that cannot
be read becomes a rejection with its reason, so the rest of the page goes on."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sablier.connectors.base import Fetched
from sablier.connectors.plaintext import html_to_text
from sablier.errors import ValidationFailed
from sablier.listen.mention_input import check_mention


def handle_of(account: dict[str, Any], instance_host: str) -> str:
    """`@user@instance`: local accounts' `acct` has no instance part."""
    acct = str(account.get("acct") or account.get("username") or "").lstrip("@")
    if acct and "@" not in acct:
        acct = f"{acct}@{instance_host}"
    return f"@{acct}" if acct else ""


def _mention(status: dict[str, Any], instance_host: str) -> dict[str, Any]:
    account = status.get("account")
    if not isinstance(account, dict):
        raise ValueError("the status has no account")
    text = html_to_text(str(status.get("content") or "")) or str(status.get("text") or "")
    if status.get("spoiler_text"):
        text = f"[{status['spoiler_text']}] {text}"
    return {
        "network": "mastodon",
        "external_id": str(status.get("id") or ""),
        "author": {
            "handle": handle_of(account, instance_host),
            "display_name": account.get("display_name") or "",
            "profile_url": account.get("url") or "",
        },
        "text": text,
        "url": status.get("url") or status.get("uri") or None,
        "created_at": status.get("created_at"),
        "in_reply_to": status.get("in_reply_to_id") or None,
    }


def from_status(raw: dict[str, Any], status: Any, instance_url: str) -> Fetched:
    """`raw` is stored as received (a status, a notification or a conversation)."""
    if not isinstance(status, dict):
        return Fetched(raw, rejected="no status in the payload")
    try:
        return Fetched(raw, check_mention(_mention(status, urlsplit(instance_url).netloc)))
    except ValueError as exc:
        return Fetched(raw, rejected=str(exc))
    except ValidationFailed as exc:
        detail = "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
        return Fetched(raw, rejected=f"{exc.message}: {detail}")


def from_notification(raw: Any, instance_url: str) -> Fetched | None:
    """A mention notification's status; other kinds (follows, favourites…) are not mentions."""
    if not isinstance(raw, dict) or "id" not in raw:
        return Fetched({"payload": raw}, rejected="a notification without an id")
    if raw.get("type") != "mention":
        return None
    if not isinstance(raw.get("status"), dict):
        return Fetched(raw, rejected="a mention notification without its status")
    return from_status(raw, raw["status"], instance_url)


def from_conversation(raw: Any, instance_url: str) -> Fetched:
    if not isinstance(raw, dict):
        return Fetched({"payload": raw}, rejected="a conversation that is not an object")
    return from_status(raw, raw.get("last_status"), instance_url)
