"""The streaming API (`/api/v1/streaming/…`, server-sent events) for instances that offer it.

One reader thread per stream (mentions and direct conversations, each hashtag) only reads the
network; the calling thread turns events into pages and hands them to `deliver`, which stores them
with the cursor (as the poller's pages are). Every (re)connection is followed by a catch-up poll
from the cursor, so what was said while the stream was down is not lost; keywords, which have no
stream, are polled every `poll_seconds`. An instance without streaming (404) is simply polled."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from queue import Empty, Queue
from typing import Any
from urllib.parse import quote

from sablier.connectors.base import Config, ConnectorError, Cursor, Fetched, Page
from sablier.connectors.mastodon.client import failure
from sablier.connectors.mastodon.config import Account, read_account
from sablier.connectors.mastodon.listen import _is_own, fetch, id_key
from sablier.connectors.mastodon.statuses import from_conversation, from_notification, from_status
from sablier.lib import http

IDLE_SECONDS = 60.0  # Mastodon sends a heartbeat comment every 15 s or so


@dataclass(frozen=True)
class Endpoint:
    path: str  # with its query
    key: str  # the cursor it moves: notifications, conversations, tag:<name>


def endpoints(account: Account) -> list[Endpoint]:
    found = [Endpoint("/api/v1/streaming/user/notification", "notifications")] if account.mentions else []
    found += [Endpoint(f"/api/v1/streaming/hashtag?tag={quote(t)}", f"tag:{t}") for t in account.hashtags]
    if account.direct:
        found.append(Endpoint("/api/v1/streaming/direct", "conversations"))
    return found


def sse_events(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(event, data) pairs from server-sent-event lines; comments (`:thump`) are heartbeats."""
    name, data = "message", list[str]()
    for line in lines:
        if not line:
            if data:
                yield name, "\n".join(data)
            name, data = "message", list[str]()
        elif not line.startswith(":"):
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)


def event_item(name: str, data: str, base: str) -> tuple[str, Fetched | None]:
    """The id that moves the cursor and the item, for the events that carry posts."""
    try:
        payload: Any = json.loads(data)
    except ValueError:
        return "", Fetched({"event": name, "data": data[:2000]}, rejected=f"{name} event: not JSON")
    if name == "notification":
        item = from_notification(payload, base)
        return (str(payload.get("id", "")) if isinstance(payload, dict) else ""), item
    if name == "update":
        if not isinstance(payload, dict):
            return "", Fetched({"event": name, "data": payload}, rejected="update event: not a status")
        return str(payload.get("id", "")), from_status(payload, payload, base)
    if name == "conversation":
        last = payload.get("last_status") if isinstance(payload, dict) else None
        return (str(last.get("id", "")) if isinstance(last, dict) else ""), from_conversation(payload, base)
    return "", None  # delete, status.update, filters_changed…: not new mentions


def _read(
    account: Account, endpoint: Endpoint, events: Queue[Any], stop: threading.Event, retry: float
) -> None:
    delay = retry
    headers = {"Authorization": f"Bearer {account.token}", "Accept": "text/event-stream"}
    while not stop.is_set():
        try:
            with http.stream_lines(f"{account.base}{endpoint.path}", headers, IDLE_SECONDS) as lines:
                events.put(("connected", endpoint, None))
                delay = retry
                for name, data in sse_events(lines):
                    if stop.is_set():
                        return
                    events.put(("event", endpoint, (name, data)))
            events.put(("dropped", endpoint, "the instance closed the stream"))
        except http.OutboundFailed as exc:
            error = failure(exc, f"stream {endpoint.path}", datetime.now(UTC))
            if exc.status == 404:
                events.put(("unavailable", endpoint, str(error)))
                return
            events.put(("dropped" if error.transient else "failed", endpoint, error))
            if not error.transient:
                return
        stop.wait(delay)
        delay = min(delay * 2, 300.0)


class _Listener:
    def __init__(self, config: Config, cursor: Cursor, deliver: Callable[[Page], None]) -> None:
        self.config, self.cursor, self.deliver = config, dict(cursor), deliver
        self.account = read_account(config)
        self.next_poll = 0.0

    def catch_up(self, poll_seconds: float) -> None:
        """Poll every watch from the cursor until nothing more is waiting."""
        self.next_poll = time.monotonic() + poll_seconds
        try:
            while True:
                page = fetch(self.config, self.cursor)
                self.deliver(page)
                self.cursor = dict(page.cursor)
                if not page.more:
                    return
        except ConnectorError as exc:
            if not exc.transient:
                raise
            if exc.retry_at is not None:
                wait = (exc.retry_at - datetime.now(UTC)).total_seconds()
                self.next_poll = time.monotonic() + max(wait, poll_seconds)

    def on_event(self, endpoint: Endpoint, name: str, data: str) -> None:
        found_id, item = event_item(name, data, self.account.base)
        if item is not None and not item.rejected and _is_own(item, str(self.cursor.get("me", ""))):
            item = None
        current = str(self.cursor.get(endpoint.key) or "")
        if found_id and id_key(found_id) > id_key(current):
            self.cursor[endpoint.key] = found_id
        elif item is None:
            return
        self.deliver(Page([item] if item is not None else [], dict(self.cursor)))


def listen_stream(
    config: Config,
    cursor: Cursor,
    deliver: Callable[[Page], None],
    stop: threading.Event,
    poll_seconds: float = 60.0,
    retry_seconds: float = 2.0,
) -> Cursor:
    """Listen until `stop` is set; returns the last cursor. `deliver(page)` must store the page's
    items and its cursor together (as the poller does). Raises ConnectorError when the failure is
    permanent (bad token, account gone); transient ones reconnect with back-off."""
    listener = _Listener(config, cursor, deliver)
    events: Queue[Any] = Queue()
    for endpoint in endpoints(listener.account):
        threading.Thread(
            target=_read, args=(listener.account, endpoint, events, stop, retry_seconds), daemon=True
        ).start()
    while not stop.is_set():
        if time.monotonic() >= listener.next_poll:
            listener.catch_up(poll_seconds)
        try:
            kind, endpoint, detail = events.get(timeout=min(0.5, poll_seconds))
        except Empty:
            continue
        if kind == "connected":
            listener.catch_up(poll_seconds)
        elif kind == "event":
            listener.on_event(endpoint, *detail)
        elif kind == "failed":
            stop.set()
            raise detail
    return listener.cursor
