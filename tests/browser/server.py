"""Starting a real hub (`sablier run`) in a subprocess, on a scratch database of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import psycopg

from tests.peers.process import free_port


@dataclass(frozen=True)
class Hub:
    url: str
    username: str
    password: str
    token: str
    log: Path


@contextmanager
def _scratch_postgres(url: str) -> Iterator[str]:
    name = f"sablier_browser_{os.getpid()}"
    base, _, _ = url.rpartition("/")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_until_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sablier run exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urlopen(url + "api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"sablier run did not answer within {seconds}s:\n{log.read_text()}")


@contextmanager
def running_hub(data_dir: Path) -> Iterator[Hub]:
    database = os.environ.get("SABLIER_DATABASE_URL")
    with _scratch_postgres(database) if database else _no_database() as scratch:
        env = {**os.environ, "SABLIER_DATA_DIR": str(data_dir)}
        if scratch:
            env["SABLIER_DATABASE_URL"] = scratch
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        log = data_dir / "server.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "sablier.cli", "run", "--port", str(port)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_healthy(url, proc, log, seconds=180)
            creds = json.loads((data_dir / "demo-credentials.json").read_text())
            yield Hub(url, creds["username"], creds["password"], creds["token"], log)
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@contextmanager
def _no_database() -> Iterator[str]:
    yield ""
