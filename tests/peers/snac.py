"""snac2, a small server with the Mastodon client API, for the Mastodon connector tests.

Installed from Debian bookworm-backports by tests/peers/install_snac.sh (make peers-snac); started
once per test module on a free loopback port with a fresh data folder; users get a token through
the OAuth authorization-code flow of snac's login form; stopped by PID. ../shared/PEERS.md section
3a has the numbers and the pitfalls: snac resets re-used connections, so every request here opens
its own (httpx's module functions do), and "protocol" must be "http" for its URLs to work."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.peers.process import PeerUnavailable, answers, free_port, stop, wait_until_ready

READY_SECONDS = 15.0
SCOPES = "read write follow"
OOB = "urn:ietf:wg:oauth:2.0:oob"


@dataclass(frozen=True)
class Snac:
    url: str
    data: Path

    def add_user(self, name: str) -> str:
        """A new account; returns its password."""
        run = subprocess.run(
            ["snac", "adduser", str(self.data), name],
            input=f"{name}\n",
            capture_output=True,
            text=True,
            timeout=30,
        )
        found = re.search(r"password is (\S+)", run.stdout + run.stderr)
        if found is None:
            raise PeerUnavailable(f"snac adduser {name} printed no password: {run.stdout}{run.stderr}")
        return found.group(1)

    def token(self, user: str, password: str) -> str:
        """An access token for `user` through the authorization-code flow of snac's login form."""
        app = httpx.post(
            f"{self.url}/api/v1/apps",
            data={"client_name": "sablier-tests", "redirect_uris": OOB, "scopes": SCOPES},
            timeout=10,
        ).json()
        form = {"login": user, "passwd": password, "redir": OOB, "cid": app["client_id"], "state": ""}
        code = httpx.post(f"{self.url}/oauth/x-snac-login", data=form, timeout=10).text.strip()
        answer = httpx.post(
            f"{self.url}/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "redirect_uri": OOB,
                "scope": SCOPES,
            },
            timeout=10,
        )
        return str(answer.json()["access_token"])

    def call(self, token: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"}
        answer = httpx.request(method, f"{self.url}{path}", json=body, headers=headers, timeout=10)
        answer.raise_for_status()
        return answer.json()

    def wait_for(self, token: str, path: str, status_id: str, seconds: float = 40.0) -> None:
        """snac delivers to local accounts through its queue, a few seconds after the post."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if status_id in json.dumps(self.call(token, "GET", path)):
                return
            time.sleep(0.5)
        raise AssertionError(f"{status_id} did not reach {path} within {seconds:.0f} s")


def _init(data: Path, port: int) -> None:
    answers = f"127.0.0.1\n{port}\nlocalhost:{port}\n\n\n"
    subprocess.run(
        ["snac", "init", str(data)], input=answers, capture_output=True, text=True, timeout=30, check=True
    )
    server = data / "server.json"
    config = json.loads(server.read_text(encoding="utf-8"))
    config["protocol"] = "http"  # the default "https" gives every URL the wrong scheme
    server.write_text(json.dumps(config, indent=4), encoding="utf-8")


@contextmanager
def running_snac(folder: Path) -> Iterator[Snac]:
    if shutil.which("snac") is None:
        raise PeerUnavailable(
            "snac is not installed (make peers-snac installs snac2 from bookworm-backports)"
        )
    port, data, log = free_port(), folder / "data", folder / "snac.out"
    try:
        _init(data, port)
    except (subprocess.SubprocessError, OSError, ValueError) as exc:
        raise PeerUnavailable(f"snac init failed: {exc}") from exc
    with log.open("wb") as out:
        process = subprocess.Popen(["snac", "httpd", str(data)], stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_ready(
            "snac", process, log, answers(f"{url}/api/v1/instance"), READY_SECONDS, "/api/v1/instance"
        )
        yield Snac(url, data)
    finally:
        stop(process)
