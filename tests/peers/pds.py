"""A real Bluesky PDS (@atproto/pds) with its own PLC directory, on loopback, for tests.

Installed by tests/peers/install_pds.sh under .peers/ (make peers-pds): Node 22 from the npm
package `node`, the PDS and `@did-plc/server`. Started once per test session on free ports with a
fresh data folder (the PLC keeps its DIDs in memory, so the pair always starts together); accounts
are open sign-up; stopped by PID. ../shared/PEERS.md section 1 has the numbers and pitfalls."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.peers.process import PeerUnavailable, answers, free_port, stop, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / ".peers" / "node22" / "node_modules" / "node" / "bin" / "node"
INSTALLED = ROOT / ".peers" / "atproto"
READY_SECONDS = 60.0


@dataclass(frozen=True)
class Account:
    did: str
    handle: str
    password: str


@dataclass
class Pds:
    folder: Path
    port: int = field(default_factory=free_port)
    plc_port: int = field(default_factory=free_port)
    rotation_key: str = field(default_factory=lambda: secrets.token_hex(32))
    jwt_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    seconds_to_ready: float = 0.0

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def plc_url(self) -> str:
        return f"http://localhost:{self.plc_port}"

    @property
    def firehose_url(self) -> str:
        return f"ws://localhost:{self.port}"

    def environment(self) -> dict[str, str]:
        data = self.folder / "data"
        return {
            **os.environ,
            "PDS_HOSTNAME": "localhost",
            "PDS_PORT": str(self.port),
            "PDS_JWT_SECRET": self.jwt_secret,
            "PDS_ADMIN_PASSWORD": "admin-pass",
            "PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX": self.rotation_key,
            "PDS_DATA_DIRECTORY": str(data),
            "PDS_BLOBSTORE_DISK_LOCATION": str(data / "blocks"),
            "PDS_DID_PLC_URL": self.plc_url,
            "PDS_DEV_MODE": "true",  # mandatory for an http:// public URL
            "PDS_INVITE_REQUIRED": "false",
            "PLC_PORT": str(self.plc_port),
            "LOG_ENABLED": "false",
        }

    def _spawn(self, name: str, script: str) -> None:
        with (self.folder / f"{name}.log").open("ab") as out:
            self.processes[name] = subprocess.Popen(
                [str(NODE), str(INSTALLED / script)],
                cwd=INSTALLED,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.environment(),
            )

    def start(self) -> None:
        started = time.monotonic()
        (self.folder / "data" / "blocks").mkdir(parents=True, exist_ok=True)
        if "plc" not in self.processes:
            self._spawn("plc", "plc.cjs")
            plc = f"{self.plc_url}/_health"
            wait_until_ready(
                "plc", self.processes["plc"], self.folder / "plc.log", answers(plc), READY_SECONDS, plc
            )
        self._spawn("pds", "pds.mjs")
        pds = f"{self.url}/xrpc/_health"
        wait_until_ready(
            "pds", self.processes["pds"], self.folder / "pds.log", answers(pds), READY_SECONDS, pds
        )
        self.seconds_to_ready = time.monotonic() - started

    def stop_pds(self) -> None:
        """The PDS goes away (its clients' streams drop); the PLC and the data stay."""
        stop(self.processes.pop("pds", None))

    def restart_pds(self) -> None:
        self.stop_pds()
        self.start()

    def stop(self) -> None:
        for name in ("pds", "plc"):
            stop(self.processes.pop(name, None))

    def create_account(self, name: str, password: str = "hunter2-password") -> Account:
        handle = f"{name}-{secrets.token_hex(3)}.test"
        body = {"handle": handle, "email": f"{handle}@example.com", "password": password}
        answer = httpx.post(f"{self.url}/xrpc/com.atproto.server.createAccount", json=body, timeout=30)
        answer.raise_for_status()
        return Account(str(answer.json()["did"]), handle, password)


@contextmanager
def running_pds(folder: Path) -> Iterator[Pds]:
    if not NODE.exists() or not (INSTALLED / ".installed").exists():
        raise PeerUnavailable(f"the Bluesky PDS is not installed in {INSTALLED} (make peers-pds)")
    pds = Pds(folder)
    try:
        pds.start()
        yield pds
    finally:
        pds.stop()
