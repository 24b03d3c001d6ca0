"""The NATS server for the bus tests: the one SABLIER_TEST_NATS_URL names (.ci/run sets it), or a
private `nats-server -js` on a free port for tests that stop and restart it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.peers.process import PeerUnavailable, free_port, listens, stop, wait_until_ready


def required(reason: str) -> None:
    """Skip, or fail where CI says every peer must be there."""
    if os.environ.get("SABLIER_REQUIRE_PEERS") == "1":
        pytest.fail(f"required here (SABLIER_REQUIRE_PEERS=1): {reason}")
    pytest.skip(reason)


def shared_url() -> str:
    url = os.environ.get("SABLIER_TEST_NATS_URL")
    if not url:
        required("SABLIER_TEST_NATS_URL is not set (.ci/run sets it to the local NATS with JetStream)")
    assert url is not None
    return url


def unique_prefix() -> str:
    """Subjects and streams of one test only, on a server other runs may share."""
    return f"sabliertest{uuid.uuid4().hex[:10]}"


class PrivateNats:
    def __init__(self, port: int, store: Path) -> None:
        self.port, self.store = port, store
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = shutil.which("nats-server") or "/usr/sbin/nats-server"
        if not Path(binary).exists():
            raise PeerUnavailable("nats-server is not installed")
        log = self.store / "nats.log"
        command = [binary, "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(self.store / "js")]
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        wait_until_ready("nats-server", self.process, log, listens(self.port), 20, f"on port {self.port}")

    def stop(self) -> None:
        stop(self.process)
        self.process = None

    def forget_store(self) -> None:
        """Delete the JetStream store (streams, consumers, messages) of a stopped server: it comes back
        as one without a persistent volume does."""
        assert self.process is None, "stop the server first"
        shutil.rmtree(self.store / "js", ignore_errors=True)


@contextmanager
def private_nats() -> Iterator[PrivateNats]:
    with tempfile.TemporaryDirectory(prefix="sablier-nats-") as store:
        server = PrivateNats(free_port(), Path(store))
        try:
            server.start()
        except PeerUnavailable as exc:
            required(str(exc))
        try:
            yield server
        finally:
            server.stop()
