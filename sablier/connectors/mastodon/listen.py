"""Polling: one cursor per watched stream (notifications, each hashtag, each keyword, direct
conversations), read with `min_id` so that consecutive pages leave no gap; a page's items come
oldest first. The runner saves the cursor with the items, so a restart resumes where it stopped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sablier.connectors.base import Config, ConnectorError, Cursor, Fetched, Page, RateLimited
from sablier.connectors.mastodon.client import Answer, api_get
from sablier.connectors.mastodon.config import Account, read_account
from sablier.connectors.mastodon.statuses import from_conversation, from_notification, from_status

LIMIT = 40
WAIT = "wait_until"  # cursor key: the instance said no request is left until then


def id_key(value: str) -> tuple[int, str]:
    """Ids are opaque strings; Mastodon's are growing integers, snac's fixed-width: both sort so."""
    return (len(value), value)


@dataclass(frozen=True)
class Stream:
    key: str  # its cursor's name
    path: str
    params: tuple[tuple[str, str], ...]
    read: Callable[[Account, Any], list[tuple[str, Fetched | None]]]  # (id, item) newest first


def _notifications(account: Account, body: Any) -> list[tuple[str, Fetched | None]]:
    return [
        (str(n.get("id", "")) if isinstance(n, dict) else "", from_notification(n, account.base))
        for n in body
    ]


def _statuses(account: Account, body: Any) -> list[tuple[str, Fetched | None]]:
    found = body.get("statuses", []) if isinstance(body, dict) else body
    return [
        (str(s.get("id", "")), from_status(s, s, account.base)) if isinstance(s, dict) else ("", None)
        for s in found
    ]


def _conversations(account: Account, body: Any) -> list[tuple[str, Fetched | None]]:
    def last_id(c: Any) -> str:
        last = c.get("last_status") if isinstance(c, dict) else None
        return str(last.get("id", "")) if isinstance(last, dict) else ""

    return [(last_id(c), from_conversation(c, account.base)) for c in body]


def streams(account: Account) -> list[Stream]:
    found = [Stream("notifications", "/api/v1/notifications", (("types[]", "mention"),), _notifications)]
    found = found if account.mentions else []
    found += [
        Stream(f"tag:{t}", f"/api/v1/timelines/tag/{quote(t)}", (), _statuses) for t in account.hashtags
    ]
    search = (("type", "statuses"), ("resolve", "false"))
    found += [
        Stream(f"search:{k}", "/api/v2/search", (("q", k), *search), _statuses) for k in account.keywords
    ]
    if account.direct:
        found.append(Stream("conversations", "/api/v1/conversations", (), _conversations))
    return found


def own_id(account: Account, cursor: Cursor, now: datetime) -> str:
    """The account's id (its own posts are not mentions); asking also checks the token."""
    if not cursor.get("me"):
        try:
            me = api_get(account, "/api/v1/accounts/verify_credentials", [], now).body
        except ConnectorError as exc:
            if exc.transient or "access_token" in str(exc):
                raise
            raise ConnectorError(f"{exc}; the account behind access_token was not found", False) from exc
        cursor["me"] = str(me.get("id", "")) if isinstance(me, dict) else ""
    return str(cursor["me"])


def _is_own(item: Fetched | None, me: str) -> bool:
    raw = item.raw if item else {}
    status = raw.get("last_status") or raw.get("status") or raw
    return isinstance(status, dict) and str((status.get("account") or {}).get("id", "")) == me


def read_stream(
    account: Account, stream: Stream, cursor: Cursor, now: datetime
) -> tuple[list[Fetched], Answer, bool]:
    """New items of one stream, oldest first, and whether the page was full (more are waiting);
    moves `cursor[stream.key]` past them."""
    since = str(cursor.get(stream.key) or "")
    params = [*stream.params, ("limit", str(LIMIT))] + ([("min_id", since)] if since else [])
    answer = api_get(account, stream.path, params, now)
    body = answer.body if isinstance(answer.body, (list, dict)) else []
    entries = [(i, item) for i, item in stream.read(account, body) if not since or id_key(i) > id_key(since)]
    newest = max((i for i, _ in entries if i), key=id_key, default=since)
    if newest:
        cursor[stream.key] = newest
    me = str(cursor.get("me", ""))
    items = [item for _, item in reversed(entries) if item is not None and not _is_own(item, me)]
    return items, answer, len(entries) >= LIMIT


def fetch(config: Config, cursor: Cursor, now: datetime | None = None) -> Page:
    now = now or datetime.now(UTC)
    waiting = cursor.get(WAIT)
    if waiting and datetime.fromisoformat(waiting) > now:
        raise RateLimited(f"rate limited by the instance until {waiting}", datetime.fromisoformat(waiting))
    account, after = read_account(config), {k: v for k, v in cursor.items() if k != WAIT}
    own_id(account, after, now)
    items: list[Fetched] = []
    more = False
    for stream in streams(account):
        first_time = not after.get(stream.key)
        found, answer, full = read_stream(account, stream, after, now)
        items += found
        more = more or (full and not first_time)
        exhausted = answer.exhausted_until(now)
        if exhausted is not None:
            return Page(items, {**after, WAIT: exhausted.isoformat()})
    return Page(items, after, more=more)
