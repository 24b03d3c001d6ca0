"""A private PostgreSQL 15 cluster for the tests that stop, restart or crash the database: initdb'd
into a temporary folder owned by `postgres` (initdb refuses root), trust authentication, listening
on 127.0.0.1 and a free port. The system PostgreSQL on 5432 is never touched."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from tests.peers.nats import required
from tests.peers.process import PeerUnavailable, free_port

BIN = Path("/usr/lib/postgresql/15/bin")
OWNER = "postgres"
READY_SECONDS = 60


class PrivatePostgres:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.data, self.log = folder / "data", folder / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{OWNER}@127.0.0.1:{self.port}/{database}"

    def _pg(self, program: str, *args: str, timeout: float = READY_SECONDS + 30) -> None:
        command = ["runuser", "-u", OWNER, "--", str(BIN / program), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise PeerUnavailable(f"{program} {args[:3]} failed: {done.stderr.strip()[-1000:]}\n{tail}")

    def init(self) -> None:
        self._pg("initdb", "-D", str(self.data), "-U", OWNER, "--auth=trust", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        # fsync off: a crash of the server process (not of the machine) loses nothing either way.
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                 "-t", str(READY_SECONDS), "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """`fast` disconnects clients and shuts down cleanly; `immediate` is a crash: every
        connection dies at once and the next start recovers from the WAL."""
        self._pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", str(READY_SECONDS), "stop")

    def crash(self) -> None:
        """As if the server process died: `immediate` stop (SIGQUIT to every backend), no checkpoint."""
        self.stop("immediate")

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    def running(self) -> bool:
        command = ["runuser", "-u", OWNER, "--", str(BIN / "pg_ctl"), "-D", str(self.data), "status"]
        return subprocess.run(command, capture_output=True, check=False).returncode == 0

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _unavailable() -> str | None:
    if os.geteuid() != 0:
        return "a private PostgreSQL needs root (to run initdb as the postgres user)"
    if not (BIN / "initdb").exists() or not shutil.which("runuser"):
        return f"PostgreSQL 15 is not installed in {BIN} (or runuser is missing)"
    try:
        pwd.getpwnam(OWNER)
    except KeyError:
        return f"there is no {OWNER} user to own a private PostgreSQL cluster"
    return None


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A started cluster, removed afterwards; skips (or fails under SABLIER_REQUIRE_PEERS=1) when it
    cannot be had."""
    reason = _unavailable()
    if reason:
        required(reason)
    folder = Path(tempfile.mkdtemp(prefix="sablier-pg-"))
    owner = pwd.getpwnam(OWNER)
    os.chown(folder, owner.pw_uid, owner.pw_gid)
    server = PrivatePostgres(folder, free_port())
    try:
        try:
            server.init()
            server.start()
        except (PeerUnavailable, subprocess.TimeoutExpired) as exc:
            required(f"the private PostgreSQL did not start: {exc}")
        yield server
    finally:
        if server.running():
            server.crash()
        shutil.rmtree(folder, ignore_errors=True)
