"""Hub processes for the bench scripts: a private NATS server, a scratch PostgreSQL database, and
`sablier` commands (migrate, user, token, run, worker) started as the operator starts them.
Every process started here is stopped by its own handle, never by name."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

NATS_SERVER = shutil.which("nats-server") or "/usr/sbin/nats-server"
POSTGRES = os.environ.get("SABLIER_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min; {os.cpu_count()} cores)"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process, from /proc (0 when it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port} within {seconds:.0f} s")


def stop(proc: subprocess.Popen[bytes], seconds: float = 20.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def private_nats(folder: Path) -> Iterator[str]:
    """A JetStream server of our own: the hub's stream names are fixed, so a shared server would mix
    the bench's work with other people's."""
    port = free_port()
    store = folder / "nats"
    store.mkdir(parents=True, exist_ok=True)
    with (folder / "nats.log").open("wb") as log:
        proc = subprocess.Popen(
            [NATS_SERVER, "-js", "-sd", str(store), "-p", str(port), "-a", "127.0.0.1"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, proc, "nats-server")
        yield f"nats://127.0.0.1:{port}"
    finally:
        stop(proc)


@contextmanager
def scratch_postgres(name: str) -> Iterator[str]:
    """A database of our own on the local server, dropped afterwards."""
    import psycopg

    base = POSTGRES.rpartition("/")[0]
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def hub_env(folder: Path, database_url: str | None = None, nats_url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "SABLIER_DATA_DIR": str(folder), "PYTHONUNBUFFERED": "1"}
    for name in ("SABLIER_DATABASE_URL", "SABLIER_NATS_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    if database_url:
        env["SABLIER_DATABASE_URL"] = database_url
    if nats_url:
        env["SABLIER_NATS_URL"] = nats_url
    return env


def sablier(args: Sequence[str], env: dict[str, str]) -> str:
    """Run a `sablier` command to its end; returns what it printed on stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "sablier.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"sablier {' '.join(args)} exited with {done.returncode}:\n{done.stderr}")
    return done.stdout.strip()


def start_sablier(args: Sequence[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "sablier.cli", *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )


def wait_until_logged(proc: subprocess.Popen[bytes], log: Path, text: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        if text in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{proc.args} did not log {text!r} within {seconds:.0f} s")


def wait_until_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sablier run exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urlopen(url + "api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"sablier run did not answer within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


@contextmanager
def workers(count: int, env: dict[str, str], folder: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`sablier worker` processes, each running once it says so."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        for index in range(count):
            log = folder / f"worker-{index}.log"
            proc = start_sablier(["worker"], env, log)
            started.append(proc)
            wait_until_logged(proc, log, "worker running")
        yield started
    finally:
        for proc in started:
            stop(proc)
