"""What every peer harness needs: a free loopback port, waiting until a started server answers (or
saying why it did not), and stopping it."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx


class PeerUnavailable(Exception):
    """The peer server is not installed or did not start; the test says why and skips (or fails on CI)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_ready(
    name: str,
    process: subprocess.Popen[bytes],
    log: Path,
    ready: Callable[[], bool],
    seconds: float,
    waiting_for: str,
    interval: float = 0.1,
) -> None:
    """Poll `ready` until it is true; a process that exits first, or a timeout, is PeerUnavailable
    with the end of its log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PeerUnavailable(f"{name} exited with {process.returncode}: {log.read_text()[-2000:]}")
        if ready():
            return
        time.sleep(interval)
    raise PeerUnavailable(f"{name} did not answer {waiting_for} within {seconds:.0f} s")


def answers(
    url: str, ok: Callable[[httpx.Response], bool] = lambda r: r.status_code == 200
) -> Callable[[], bool]:
    def probe() -> bool:
        try:
            return ok(httpx.get(url, timeout=1))
        except httpx.HTTPError:
            return False

    return probe


def listens(port: int) -> Callable[[], bool]:
    def probe() -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    return probe


def stop(process: subprocess.Popen[bytes] | None, grace: float = 15.0) -> None:
    """SIGTERM, then SIGKILL after `grace` seconds."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
