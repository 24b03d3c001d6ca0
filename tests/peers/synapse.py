"""A real Matrix homeserver (matrix-synapse on SQLite) for tests, in its own venv (make peers).

Started once per test session on a free loopback port with a fresh data folder; users are
registered with the shared secret; stopped by PID. ../shared/PEERS.md section 2 has the numbers.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from tests.peers.process import PeerUnavailable, answers, free_port, stop, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
SYNAPSE_PYTHON = ROOT / ".peers" / "venv-synapse" / "bin" / "python"
SERVER_NAME = "localhost"
READY_SECONDS = 60.0
TEST_LIMITS = {"per_second": 1000, "burst_count": 1000}


@dataclass(frozen=True)
class Homeserver:
    url: str
    shared_secret: str

    def register(self, user: str, password: str, admin: bool = False) -> str:
        """A new account through the shared-secret admin API; returns its Matrix user id."""
        endpoint = f"{self.url}/_synapse/admin/v1/register"
        nonce = httpx.get(endpoint, timeout=10).json()["nonce"]
        mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        role = b"admin" if admin else b"notadmin"
        mac.update(b"\x00".join([nonce.encode(), user.encode(), password.encode(), role]))
        body = {
            "nonce": nonce,
            "username": user,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        answer = httpx.post(endpoint, json=body, timeout=10)
        answer.raise_for_status()
        return str(answer.json()["user_id"])


def write_config(folder: Path, port: int) -> dict[str, object]:
    """The generated config, made loopback-only, federation-free and without rate limits."""
    subprocess.run(
        [
            str(SYNAPSE_PYTHON),
            "-m",
            "synapse.app.homeserver",
            "--server-name",
            SERVER_NAME,
            "--config-path",
            str(folder / "homeserver.yaml"),
            "--generate-config",
            "--report-stats=no",
            "--data-directory",
            str(folder / "data"),
        ],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=120,
    )
    config = yaml.safe_load((folder / "homeserver.yaml").read_text(encoding="utf-8"))
    config["listeners"] = [
        {
            "port": port,
            "bind_addresses": ["127.0.0.1"],
            "type": "http",
            "tls": False,
            "x_forwarded": False,
            "resources": [{"names": ["client"], "compress": False}],
        }
    ]
    config.update(
        trusted_key_servers=[],
        suppress_key_server_warning=True,
        enable_registration=False,
        federation_domain_whitelist=[],
        url_preview_enabled=False,
        presence={"enabled": False},
        rc_message=TEST_LIMITS,
        rc_login={"address": TEST_LIMITS, "account": TEST_LIMITS, "failed_attempts": TEST_LIMITS},
        rc_registration=TEST_LIMITS,
        rc_joins={"local": TEST_LIMITS},
        rc_invites={"per_room": TEST_LIMITS, "per_user": TEST_LIMITS},
    )
    (folder / "homeserver.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    log_config = Path(str(config["log_config"]))
    log_config.write_text(log_config.read_text(encoding="utf-8").replace("INFO", "WARNING"), encoding="utf-8")
    return config


@contextmanager
def running_synapse(folder: Path) -> Iterator[Homeserver]:
    if not SYNAPSE_PYTHON.exists():
        raise PeerUnavailable(
            f"matrix-synapse is not installed in {SYNAPSE_PYTHON.parent.parent} (make peers)"
        )
    port = free_port()
    config = write_config(folder, port)
    log = folder / "synapse.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(SYNAPSE_PYTHON), "-m", "synapse.app.homeserver", "-c", str(folder / "homeserver.yaml")],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_ready(
            "synapse",
            process,
            log,
            answers(f"{url}/health", lambda r: r.text == "OK"),
            READY_SECONDS,
            "/health",
            interval=0.2,
        )
        yield Homeserver(url, str(config["registration_shared_secret"]))
    finally:
        stop(process)
