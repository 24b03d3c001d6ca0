"""Answers in thread and posts: a reply names its author first and is never more visible than the
post it answers (a direct message is answered directly), nor than the configured visibility."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sablier.connectors.base import Config, Published, ReplyTarget
from sablier.connectors.mastodon.client import api_post
from sablier.connectors.mastodon.config import VISIBILITIES, read_account


def parent_status(payload: dict[str, Any]) -> dict[str, Any]:
    """The status inside a stored payload: a notification's, a conversation's, or the status itself."""
    for key in ("status", "last_status"):
        if isinstance(payload.get(key), dict):
            return dict(payload[key])
    return payload


def reply_visibility(parent: str | None, configured: str) -> str:
    if parent not in VISIBILITIES:
        return configured
    return min(parent, configured, key=VISIBILITIES.index)


def addressed(text: str, handle: str) -> str:
    handle = handle.strip()
    if not handle or text.lstrip().lower().startswith(handle.lower()):
        return text
    return f"{handle if handle.startswith('@') else '@' + handle} {text}"


def _key(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:40]


def _published(body: Any) -> Published:
    status = body if isinstance(body, dict) else {}
    return Published(str(status.get("id", "")), str(status.get("url") or status.get("uri") or ""), status)


def reply(config: Config, text: str, target: ReplyTarget) -> Published:
    account, now = read_account(config), datetime.now(UTC)
    parent = parent_status(target.extra.get("parent") or {})
    body = {
        "status": addressed(text, target.author_handle),
        "in_reply_to_id": target.external_id,
        "visibility": reply_visibility(parent.get("visibility"), account.visibility),
    }
    answer = api_post(account, "/api/v1/statuses", body, _key(target.external_id, text), now)
    return _published(answer.body)


def post(config: Config, text: str) -> Published:
    account, now = read_account(config), datetime.now(UTC)
    body = {"status": text, "visibility": account.visibility}
    return _published(api_post(account, "/api/v1/statuses", body, _key("post", text), now).body)
