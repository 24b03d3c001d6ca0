"""Reading the firehose from a cursor: a bounded page for the poll loop (`read_page`), or without
end for `sablier listen` (`listen`), reconnecting from the last sequence number handed over.

The cursor is `{"seq": N}`, the last event read; the server replays everything after it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI, WebSocketException
from websockets.sync.client import ClientConnection, connect

from sablier.connectors.base import Config, ConnectorError, Cursor, Fetched, Page, RateLimited
from sablier.connectors.bluesky.events import Resolve, Watch, read_frame

METHOD = "com.atproto.sync.subscribeRepos"
MAX_FRAME_BYTES = 5 * 1024 * 1024
PAGE_FRAMES = 1000  # a page ends after this many events…
PAGE_SECONDS = 5.0  # …or this long…
IDLE_SECONDS = 1.0  # …or when the stream has been quiet this long
MAX_RECONNECT_SECONDS = 60.0


def stream_url(config: Config, cursor: Cursor) -> str:
    base = str(config["firehose_url"]).rstrip("/").removesuffix("/xrpc")
    base = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    seq = cursor.get("seq", config.get("start_cursor"))
    query = f"?{urlencode({'cursor': int(str(seq))})}" if seq not in (None, "") else ""
    return f"{base}/xrpc/{METHOD}{query}"


def _retry_at(status: int, headers: dict[str, str]) -> datetime:
    now = datetime.now(UTC)
    if headers.get("ratelimit-reset", "").isdigit():
        return datetime.fromtimestamp(int(headers["ratelimit-reset"]), UTC)
    after = headers.get("retry-after", "")
    if after.isdigit():
        return now + timedelta(seconds=int(after))
    try:
        return parsedate_to_datetime(after)
    except (TypeError, ValueError):
        return now + timedelta(minutes=1)


def open_stream(config: Config, cursor: Cursor) -> ClientConnection:
    url = stream_url(config, cursor)
    try:
        return connect(url, open_timeout=10, close_timeout=1, max_size=MAX_FRAME_BYTES)
    except InvalidStatus as exc:
        status = exc.response.status_code
        headers = {k.lower(): v for k, v in exc.response.headers.raw_items()}
        if status == 429:
            when = _retry_at(status, headers)
            raise RateLimited(f"the firehose is rate-limited: retry after {when.isoformat()}", when) from exc
        transient = status >= 500 or status == 408
        raise ConnectorError(f"the firehose at {url} answered HTTP {status}", transient) from exc
    except InvalidURI as exc:
        raise ConnectorError(f"firehose_url is not a websocket URL: {exc}", transient=False) from exc
    except (OSError, WebSocketException) as exc:
        raise ConnectorError(f"the firehose at {url} is unreachable: {exc}", transient=True) from exc


@dataclass
class Batch:
    items: list[Fetched] = field(default_factory=list)
    cursor: Cursor = field(default_factory=dict)
    frames: int = 0
    closed: bool = False  # the server ended the stream

    def page(self, more: bool) -> Page:
        return Page(self.items, dict(self.cursor), more)


def drain(
    ws: ClientConnection, batch: Batch, watch: Watch, resolve: Resolve, limits: tuple[int, float]
) -> Batch:
    """Read frames into `batch` until it holds `limits[0]` frames, `limits[1]` seconds pass, the
    stream is quiet for IDLE_SECONDS (or the batch window, if shorter) or the server closes it."""
    most, seconds = limits
    deadline = time.monotonic() + seconds
    while batch.frames < most and (left := deadline - time.monotonic()) > 0:
        try:
            data = ws.recv(timeout=min(left, IDLE_SECONDS))
        except TimeoutError:
            break
        except ConnectionClosed:
            batch.closed = True
            break
        seq, items = read_frame(data, watch, resolve)
        batch.frames += 1
        batch.items += items
        if seq is not None:
            batch.cursor = {"seq": seq}
    return batch


def read_page(config: Config, cursor: Cursor, watch: Watch, resolve: Resolve) -> Page:
    try:
        with open_stream(config, cursor) as ws:
            batch = drain(ws, Batch(cursor=dict(cursor)), watch, resolve, (PAGE_FRAMES, PAGE_SECONDS))
    except (OSError, WebSocketException) as exc:
        raise ConnectorError(f"the firehose stream failed: {exc}", transient=True) from exc
    if batch.closed and not batch.frames:
        raise ConnectorError("the firehose closed the stream at once", transient=True)
    return batch.page(more=batch.frames >= PAGE_FRAMES or batch.closed)


def listen(
    config: Config,
    cursor: Cursor,
    on_page: Callable[[Page], None],
    stop: threading.Event,
    watch: Watch,
    resolve: Resolve,
    on_error: Callable[[ConnectorError], None] = lambda exc: None,
    batch_seconds: float = 0.5,
) -> None:
    """Hand every batch of events to `on_page` (which stores it with its cursor) until `stop` is set;
    reconnect from the last cursor handed over when the server drops the stream or is away.
    Transient failures go to `on_error` and are retried; a permanent one is raised."""
    delay = 0.0
    while not stop.is_set():
        try:
            with open_stream(config, cursor) as ws:
                delay = 0.0
                while not stop.is_set():
                    batch = drain(
                        ws, Batch(cursor=dict(cursor)), watch, resolve, (PAGE_FRAMES, batch_seconds)
                    )
                    if batch.items or batch.cursor != cursor:
                        on_page(batch.page(more=False))
                        cursor = batch.cursor
                    if batch.closed:
                        break
        except RateLimited as exc:
            on_error(exc)
            wait = (exc.retry_at - datetime.now(UTC)).total_seconds() if exc.retry_at else 60.0
            stop.wait(max(wait, 1.0))
            continue
        except ConnectorError as exc:
            if not exc.transient:
                raise
            on_error(exc)
        except (OSError, WebSocketException) as exc:
            on_error(ConnectorError(f"the firehose stream failed: {exc}", transient=True))
        delay = min(max(delay * 2, 1.0), MAX_RECONNECT_SECONDS)
        stop.wait(delay)
