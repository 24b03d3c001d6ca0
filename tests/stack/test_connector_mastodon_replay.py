"""The Mastodon connector against a local server replaying the instance's real formats: malformed
notifications are rejected with their reason, 429 and exhausted rate limits wait for the reset
without hammering, and a dropped stream reconnects and catches up from the cursor."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from sablier.connectors.actions import access_account, do_add_connector, do_store_page, poll_connectors
from sablier.connectors.base import Page, ReplyTarget
from sablier.connectors.mastodon.stream import listen_stream
from sablier.connectors.models import ERROR, ConnectorAccount, ConnectorLog
from sablier.connectors.registry import connector_type
from sablier.errors import ValidationFailed
from sablier.listen.models import Mention

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mastodon"
HUB = {"id": "110000000000000001", "username": "banque", "acct": "banque"}
Answer = tuple[int, dict[str, str], Any]  # status, headers, JSON body or SSE text (str)


def fixture(name: str) -> Any:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else text


class Instance(ThreadingHTTPServer):
    """Answers each path with the route planned for it and records every request."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        self.routes: dict[str, Callable[[dict[str, list[str]]], Answer]] = {
            "/api/v1/accounts/verify_credentials": lambda q: (200, {}, HUB)
        }
        self.closing = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def asked(self, path: str) -> list[dict[str, list[str]]]:
        return [query for seen, query, _ in self.requests if seen == path]


class Handler(BaseHTTPRequestHandler):
    server: Instance

    def _answer(self, body: bytes | None) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        self.server.requests.append((parts.path, query, {"body": (body or b"").decode()}))
        route = self.server.routes.get(parts.path)
        status, headers, payload = route(query) if route else (404, {}, {"error": "Record not found"})
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if isinstance(payload, str):  # a stream: no length, closed by the server when it is done
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(payload.encode())
            self.wfile.flush()
            return
        data = json.dumps(payload).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer(None)

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def instance() -> Iterator[Instance]:
    server = Instance()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.closing.set()
        server.shutdown()
        server.server_close()


def newer(notifications: list[dict[str, Any]], query: dict[str, list[str]]) -> list[dict[str, Any]]:
    since = int(query.get("min_id", ["0"])[0])
    return sorted((n for n in notifications if int(n["id"]) > since), key=lambda n: -int(n["id"]))


def add(instance: Instance, **config: Any) -> ConnectorAccount:
    settings = {"instance_url": instance.url, "access_token": "token", "direct": False, **config}
    return do_add_connector("mastodon", "replayed", settings, now=timezone.now() - timedelta(seconds=5))


def test_it_names_each_bad_setting(organisation: None) -> None:
    with pytest.raises(ValidationFailed) as raised:
        do_add_connector("mastodon", "bad", {"instance_url": "mastodon.social", "visibility": "everyone"})
    assert {e.field for e in raised.value.errors} == {
        "config.instance_url",
        "config.access_token",
        "config.visibility",
    }


def test_it_rejects_malformed_notifications_and_goes_on(
    instance: Instance, allowed: None, organisation: None
) -> None:
    instance.routes["/api/v1/notifications"] = lambda q: (
        200,
        {},
        newer(fixture("notifications_malformed.json"), q),
    )
    account = add(instance)
    assert poll_connectors(timezone.now()) == 2
    texts = list(Mention.objects.order_by("created_at").values_list("text", flat=True))
    assert texts[0].endswith("débitée deux fois & personne ne répond") and "\n\nJe vais changer" in texts[1]
    rejected = ConnectorLog.objects.get(account=account, level="warning")
    assert "a mention notification without its status" in rejected.message and rejected.detail["raw"]["id"]
    account.refresh_from_db()
    assert account.status == "ok" and account.cursor["notifications"] == "34975864"


def test_a_429_waits_for_the_reset_without_hammering(
    instance: Instance, allowed: None, organisation: None
) -> None:
    now = timezone.now().replace(microsecond=0)
    reset = now + timedelta(minutes=5)
    limited = {
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": reset.isoformat(),
    }
    instance.routes["/api/v1/notifications"] = lambda q: (429, limited, {"error": "Too many requests"})
    account = add(instance)
    poll_connectors(now)
    account.refresh_from_db()
    assert account.status == ERROR and account.next_poll_at == reset and "rate limited" in account.last_error
    assert (
        poll_connectors(now + timedelta(minutes=4)) == 0 and len(instance.asked("/api/v1/notifications")) == 1
    )
    instance.routes["/api/v1/notifications"] = lambda q: (
        200,
        {},
        newer(fixture("notifications_malformed.json"), q),
    )
    assert poll_connectors(reset) == 2


def test_an_exhausted_budget_waits_for_the_reset(
    instance: Instance, allowed: None, organisation: None
) -> None:
    now = timezone.now().replace(microsecond=0)
    reset = now + timedelta(minutes=10)
    budget = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset.isoformat().replace("+00:00", "Z")}
    instance.routes["/api/v1/notifications"] = lambda q: (
        200,
        budget,
        newer(fixture("notifications_malformed.json"), q),
    )
    account = add(instance, hashtags=["banque"])
    assert poll_connectors(now) == 2 and instance.asked("/api/v1/timelines/tag/banque") == []
    poll_connectors(now + timedelta(minutes=2))
    account.refresh_from_db()
    assert account.next_poll_at == reset and len(instance.asked("/api/v1/notifications")) == 1


def test_it_refuses_a_private_instance_unless_allowed(instance: Instance, organisation: None) -> None:
    account = add(instance)
    poll_connectors(timezone.now())
    account.refresh_from_db()
    assert account.status == ERROR and account.next_poll_at is None and "non-public" in account.last_error
    assert instance.requests == []


def test_a_reply_goes_in_thread_no_more_visible_than_its_parent(
    instance: Instance, allowed: None, organisation: None
) -> None:
    sent = {"id": "113600000000000200", "url": "https://mastodon.example/@banque/113600000000000200"}
    instance.routes["/api/v1/statuses"] = lambda q: (200, {}, sent)
    parent = fixture("stream_notifications.json")["streamed"][1]  # a direct message
    target = ReplyTarget(
        parent["status"]["id"], parent["status"]["id"], "@claire@piaille.fr", extra={"parent": parent}
    )
    config = add(instance, visibility="unlisted").config
    published = connector_type("mastodon").reply(config, "Nous vous rappelons.", target)
    body = json.loads(instance.requests[-1][2]["body"])
    assert published.external_id == sent["id"]
    assert body == {
        "status": "@claire@piaille.fr Nous vous rappelons.",
        "in_reply_to_id": "113600000000000104",
        "visibility": "direct",
    }
    connector_type("mastodon").reply(
        config, "@claire@piaille.fr Merci.", ReplyTarget("1", "1", "@claire@piaille.fr")
    )
    assert json.loads(instance.requests[-1][2]["body"])["visibility"] == "unlisted"


def test_a_dropped_stream_reconnects_and_catches_up_from_the_cursor(
    instance: Instance, allowed: None, organisation: None
) -> None:
    said = fixture("stream_notifications.json")
    visible = list(said["before_start"])  # what the REST API shows; grows while the stream is down
    sessions = [fixture("streaming_session_1.txt"), fixture("streaming_session_2.txt")]

    def stream(query: dict[str, list[str]]) -> Answer:
        if not sessions:
            instance.closing.wait(5)
            return 200, {}, ":)\n"
        if len(sessions) == 1:  # the reconnection, once the hub has read the first session;
            first_read.wait(5)
            visible.extend(said["while_dropped"])  # meanwhile the customer wrote again
        session = sessions.pop(0)
        return 200, {}, session

    instance.routes["/api/v1/notifications"] = lambda q: (200, {}, newer(visible, q))
    instance.routes["/api/v1/streaming/user/notification"] = stream
    account = add(instance)
    ConnectorAccount.objects.filter(pk=account.pk).update(cursor={"notifications": "35000100"})  # a restart
    stop, first_read = threading.Event(), threading.Event()

    def deliver(page: Page) -> None:
        do_store_page(access_account("replayed"), page, timezone.now())
        if page.cursor.get("notifications") == "35000102":
            first_read.set()
        if page.cursor.get("notifications") == "35000104":
            stop.set()

    timer = threading.Timer(20, stop.set)
    timer.start()
    cursor = listen_stream(
        access_account("replayed").config, {"notifications": "35000100"}, deliver, stop, 60, 0.05
    )
    timer.cancel()
    assert (
        cursor["notifications"] == "35000104"
        and access_account("replayed").cursor["notifications"] == "35000104"
    )
    ids = sorted(Mention.objects.values_list("external_id", flat=True))
    assert ids == [f"1136000000000001{n:02d}" for n in (1, 2, 3, 4)]
    assert Mention.objects.values("case").distinct().count() == 1  # one thread, one case
    catch_ups = [q.get("min_id", [""])[0] for q in instance.asked("/api/v1/notifications")]
    assert catch_ups[0] == "35000100" and "35000102" in catch_ups  # resumed from the cursor after the drop
    assert len(instance.asked("/api/v1/streaming/user/notification")) >= 2
    assert ConnectorLog.objects.filter(message__contains="notification event: not JSON").exists()
