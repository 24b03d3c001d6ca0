"""The hub's server as clients reach it (sablier/asgi.py): event streams wait on the event loop,
every other request runs on a fixed pool of threads once its whole body has arrived."""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import time
from typing import Any

import pytest
from django.conf import settings

from sablier import asgi
from sablier.listen.models import Mention
from sablier.settings import REQUEST_THREADS
from tests.conftest import ApiClient, client_of, mention_payload
from tests.live_server import EventStream

MORE_THAN_THE_POOL = REQUEST_THREADS + 4


def _health_seconds(address: tuple[str, int]) -> float:
    started = time.monotonic()
    conn = http.client.HTTPConnection(*address, timeout=10)
    conn.request("GET", "/api/health")
    assert conn.getresponse().status == 200
    conn.close()
    return time.monotonic() - started


def test_open_streams_do_not_hold_the_request_threads(live_hub: tuple[str, int], api: ApiClient) -> None:
    """A stream served by the pool would hold a thread for as long as the browser stays open."""
    client_of("sara", ["customer-service"])
    streams = [EventStream(live_hub, "sara") for _ in range(MORE_THAN_THE_POOL)]
    try:
        assert _health_seconds(live_hub) < 5
    finally:
        for stream in streams:
            stream.close()


def test_clients_sending_their_bodies_slowly_do_not_hold_the_request_threads(
    live_hub: tuple[str, int],
) -> None:
    """Bodies are read on the event loop: read on the pool's threads, these would freeze the hub."""
    slow = []
    for _ in range(MORE_THAN_THE_POOL):
        sock = socket.create_connection(live_hub, timeout=10)
        sock.sendall(
            b"POST /api/inbound/nosuch HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a": '
        )
        slow.append(sock)
    try:
        time.sleep(0.3)
        assert _health_seconds(live_hub) < 5
    finally:
        for sock in slow:
            sock.close()


def test_a_chunked_body_arrives_whole(live_hub: tuple[str, int], api: ApiClient) -> None:
    body = json.dumps(mention_payload(external_id="chunked-1", text="Sent in chunks, still whole.")).encode()
    conn = http.client.HTTPConnection(*live_hub, timeout=10)
    conn.request(
        "POST",
        "/api/mentions",
        body=iter([body[:10], body[10:]]),
        headers={**api.headers, "Content-Type": "application/json"},
        encode_chunked=True,
    )
    response = conn.getresponse()
    answer = json.loads(response.read())
    conn.close()
    assert response.status == 201, answer
    assert Mention.objects.get(external_id="chunked-1").text == "Sent in chunks, still whole."


def test_a_body_over_the_limit_gets_the_api_error(live_hub: tuple[str, int], api: ApiClient) -> None:
    conn = http.client.HTTPConnection(*live_hub, timeout=10)
    conn.request(
        "POST",
        "/api/mentions",
        body=b" " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10),
        headers={**api.headers, "Content-Type": "application/json"},
    )
    response = conn.getresponse()
    answer = json.loads(response.read())
    conn.close()
    assert response.status == 413, answer
    assert answer["code"] == "too_large"


def test_the_stream_is_recognised_under_a_root_path() -> None:
    assert asgi._path({"path": "/hub/events/", "root_path": "/hub"}) == "/events/"
    assert asgi._path({"path": "/events/", "root_path": ""}) == "/events/"
    assert asgi._path({"path": "/api/cases", "root_path": "/hub"}) == "/api/cases"


def test_a_body_that_never_ends_is_given_up_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(asgi, "BODY_SECONDS", 0.2)

    async def trickle() -> dict[str, Any]:
        await asyncio.sleep(0.05)
        return {"type": "http.request", "body": b"x", "more_body": True}

    started = time.monotonic()
    with pytest.raises(asgi._TooSlow):
        asyncio.run(asgi._whole_body(trickle))
    assert time.monotonic() - started < 2


def test_a_client_that_leaves_before_its_body_ends_gets_nothing() -> None:
    messages = iter([{"type": "http.request", "body": b"{", "more_body": True}, {"type": "http.disconnect"}])

    async def leaving() -> dict[str, Any]:
        return next(messages)

    assert asyncio.run(asgi._whole_body(leaving)) is None
