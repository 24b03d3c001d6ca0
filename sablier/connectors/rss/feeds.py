"""Polling feeds politely: conditional GETs (ETag / Last-Modified, a 304 costs nothing), the ids
already read (bounded), the comment feeds followed, and each feed's own back-off after a failure,
all kept in the cursor.

Cursor: {"feeds": {url: {"etag", "modified", "seen": [ids], "article", "own", "added", "comments",
"fetched_comments", "failures", "retry_at", "error", "permanent"}}}. A comment feed has an "article";
a failing feed has an "error" and is not asked again before its "retry_at"."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import feedparser  # type: ignore[import-untyped]
from django.utils import timezone

from sablier.connectors.base import ConnectorError, Fetched, RateLimited, backoff
from sablier.connectors.rss.entries import Role, read_entry
from sablier.lib import http

MAX_SEEN = 500  # ids remembered per feed; older ones come back only if the feed republishes them
MAX_COMMENT_FEEDS = 50  # the comment feeds of the most recent articles
FEED_BYTES = 4 * 1024 * 1024
# A feed that fails for good (404, 410, 401…) while the others are read: asked again once a day.
PERMANENT_RETRY = timedelta(days=1)
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
    for key in ("failures", "retry_at", "error", "permanent"):
        state.pop(key, None)
    return [] if answer is None else read_feed(role, state, parse(role.url, answer), feeds)


def due(state: dict[str, Any]) -> bool:
    """A comment feed whose article still shows the comment count last read needs no request."""
    return state.get("comments") is None or state.get("comments") != state.get("fetched_comments")


def plan(config: dict[str, Any], feeds: dict[str, Any]) -> Iterator[Role]:
    """The configured feeds, then the comment feeds followed (including those found on the way)."""
    keywords = tuple(config["keywords"])
    for url in [*config["blog_feeds"], *config["feeds"]]:
        yield Role(url, url in config["blog_feeds"], keywords)
    followed = sorted((f.get("added", 0), u) for u, f in feeds.items() if f.get("article"))
    for _, url in followed:
        if url in feeds and due(feeds[url]):
            yield Role(url, bool(feeds[url]["own"]), keywords, feeds[url]["article"])


def waiting_until(state: dict[str, Any], now: datetime) -> datetime | None:
    when = datetime.fromisoformat(state["retry_at"]) if state.get("retry_at") else None
    return when if when is not None and when > now else None


def record_failure(state: dict[str, Any], exc: ConnectorError, now: datetime) -> None:
    """The feed's own back-off: Retry-After when the site gave one, else 30 s doubling to 30 min."""
    failures = state.get("failures", 0) + 1
    if exc.transient:
        retry = max(exc.retry_at, now) if exc.retry_at else now + backoff(failures)
        error = str(exc)
    else:
        retry, error = now + PERMANENT_RETRY, f"{exc} (fix or remove this feed in the settings)"
    in_a_row = f" ({failures} failures in a row)" if failures > 1 else ""
    state.update(
        failures=failures, retry_at=retry.isoformat(), error=error + in_a_row, permanent=not exc.transient
    )


def still_failing(feeds: dict[str, Any], fresh: list[str]) -> ConnectorError | None:
    """The connector's health while feeds fail: the failure a person most needs to see (just
    happened, then permanent), and the earliest time one of them is due again."""
    # an "error" without "retry_at" is a stale one left by cursors saved before per-feed back-off
    failing = [(url, feed) for url, feed in feeds.items() if feed.get("error") and feed.get("retry_at")]
    if not failing:
        return None
    failing.sort(key=lambda pair: (pair[0] not in fresh, not pair[1].get("permanent")))
    shown = failing[0][1]
    others = f" (and {len(failing) - 1} more failing feeds)" if len(failing) > 1 else ""
    retry = min(datetime.fromisoformat(feed["retry_at"]) for _, feed in failing)
    return ConnectorError(shown["error"] + others, transient=not shown.get("permanent"), retry_at=retry)
