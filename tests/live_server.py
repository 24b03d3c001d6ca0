"""The real server (uvicorn, the hub's ASGI application) in a thread, and a browser's event stream
read over HTTP: for the tests that need the hub as browsers and clients reach it."""

from __future__ import annotations

import http.client
import json
import queue
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from django.test import Client

from tests.peers.process import free_port


@contextmanager
def serving() -> Iterator[tuple[str, int]]:
    """The hub on a free port of 127.0.0.1, until the block ends."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            "sablier.asgi:application", host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class EventStream:
    """GET /events/ with a session cookie; every line read in the background into a queue."""

    def __init__(self, address: tuple[str, int], username: str) -> None:
        browser = Client()
        assert browser.login(username=username, password=f"pw-{username}-123")
        self.conn = http.client.HTTPConnection(*address, timeout=30)
        self.conn.request(
            "GET", "/events/", headers={"Cookie": f"sessionid={browser.cookies['sessionid'].value}"}
        )
        self.sock = self.conn.sock
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type", "").startswith("text/event-stream")
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.lines.get(timeout=10) == "retry: 2000"  # subscribed to the bus

    def _read(self) -> None:
        try:
            while line := self.response.readline():
                self.lines.put(line.decode().rstrip("\n"))
        except (OSError, ValueError, AttributeError, http.client.HTTPException):  # closed meanwhile
            pass

    def next_event(self, seconds: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if line.startswith("data: "):
                event: dict[str, Any] = json.loads(line.removeprefix("data: "))
                return event

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader blocked until the next keep-alive
        self.conn.close()
