"""Polling feeds politely: conditional GETs (ETag / Last-Modified, a 304 costs nothing), the ids
already read (bounded), and the comment feeds followed, all kept in the cursor.

Cursor: {"feeds": {url: {"etag", "modified", "seen": [ids], "article", "own", "added", "comments",
"fetched_comments", "retry_at"}}, "resume": url}. A comment feed has an "article"."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import feedparser  # type: ignore[import-untyped]
from django.utils import timezone

from sablier.connectors.base import ConnectorError, Cursor, Fetched, RateLimited
from sablier.connectors.rss.entries import Role, read_entry
from sablier.lib import http

MAX_SEEN = 500  # ids remembered per feed; older ones come back only if the feed republishes them
MAX_COMMENT_FEEDS = 50  # the comment feeds of the most recent articles
FEED_BYTES = 4 * 1024 * 1024
ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5"


def feed_error(url: str, exc: http.OutboundFailed) -> ConnectorError:
    now = timezone.now()
    if exc.status in http.RETRY_AFTER_STATUSES:
        delay = http.retry_delay(exc.retry_after, now)
        return RateLimited(f"{url}: {exc}", now + delay if delay is not None else None)
    return ConnectorError(f"{url}: {exc}", transient=exc.transient)


def download(url: str, state: dict[str, Any]) -> http.HttpResult | None:
    """The feed's new content, or None when it has not changed (304)."""
    headers = {"Accept": ACCEPT, "User-Agent": "Sablier feed reader"}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("modified"):
        headers["If-Modified-Since"] = state["modified"]
    try:
        answer = http.get(url, headers, limit=FEED_BYTES)
    except http.OutboundFailed as exc:
        raise feed_error(url, exc) from exc
    if answer.status == 304:
        return None
    state["etag"] = answer.headers.get("etag", "")
    state["modified"] = answer.headers.get("last-modified", "")
    return answer


def parse(url: str, answer: http.HttpResult) -> list[Any]:
    # A stream, never bytes or str: feedparser would take those for a file name or a URL.
    headers = {"content-location": url, "content-type": answer.headers.get("content-type", "")}
    parsed = feedparser.parse(io.BytesIO(answer.content), response_headers=headers)
    if parsed.bozo and not parsed.entries and not parsed.get("version"):
        raise ConnectorError(f"{url} is not an RSS or Atom feed: {parsed.bozo_exception}", transient=True)
    return list(parsed.entries)


def follow(feeds: dict[str, Any], url: str, article: str, own: bool, comments: int | None) -> None:
    """Remember an article's comment feed (the most recent MAX_COMMENT_FEEDS only)."""
    if url not in feeds:
        added = 1 + max((f.get("added", 0) for f in feeds.values()), default=0)
        feeds[url] = {"article": article, "own": own, "added": added}
        followed = sorted((f["added"], u) for u, f in feeds.items() if f.get("article"))
        for _, old in followed[:-MAX_COMMENT_FEEDS]:
            del feeds[old]
    if url in feeds:
        feeds[url]["comments"] = comments


def read_feed(role: Role, state: dict[str, Any], entries: list[Any], feeds: dict[str, Any]) -> list[Fetched]:
    """New entries, oldest first (parents before their replies); articles' comment feeds followed."""
    known, fresh, items = set(state.get("seen", [])), [], []
    for raw in reversed(entries):
        entry = read_entry(raw, role)
        if entry.comment_feed:
            follow(feeds, entry.comment_feed, entry.id, role.own, entry.comments)
        if entry.id in known:
            continue
        known.add(entry.id)
        fresh.append(entry.id)
        if entry.fetched is not None:
            items.append(entry.fetched)
    state["seen"] = [*state.get("seen", []), *fresh][-MAX_SEEN:]
    return items


def poll(role: Role, state: dict[str, Any], feeds: dict[str, Any]) -> list[Fetched]:
    answer = download(role.url, state)
    state["fetched_comments"] = state.get("comments")
    state.pop("retry_at", None)
    return [] if answer is None else read_feed(role, state, parse(role.url, answer), feeds)


def due(state: dict[str, Any]) -> bool:
    """A comment feed whose article still shows the comment count last read needs no request."""
    return state.get("comments") is None or state.get("comments") != state.get("fetched_comments")


def plan(config: dict[str, Any], cursor: Cursor) -> Iterator[Role]:
    """The configured feeds, then the comment feeds followed (including those found on the way),
    starting where the last round stopped on a failure."""
    feeds, keywords = cursor["feeds"], tuple(config["keywords"])
    resume = cursor.pop("resume", "")
    skipping = resume in {*config["blog_feeds"], *config["feeds"], *feeds}
    for url in [*config["blog_feeds"], *config["feeds"]]:
        skipping = skipping and url != resume
        if not skipping:
            yield Role(url, url in config["blog_feeds"], keywords)
    followed = sorted((f.get("added", 0), u) for u, f in feeds.items() if f.get("article"))
    for _, url in followed:
        skipping = skipping and url != resume
        if url in feeds and not skipping and due(feeds[url]):
            yield Role(url, bool(feeds[url]["own"]), keywords, feeds[url]["article"])


def waiting_until(state: dict[str, Any], now: datetime) -> datetime | None:
    when = datetime.fromisoformat(state["retry_at"]) if state.get("retry_at") else None
    return when if when is not None and when > now else None


def later(exc: ConnectorError) -> str:
    return (exc.retry_at or timezone.now() + timedelta(minutes=1)).isoformat()
