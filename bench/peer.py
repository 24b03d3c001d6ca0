"""The same tickets created through django-helpdesk and through Sablier's `POST /api/mentions`, one run.

django-helpdesk 2.6.1 is installed from PyPI into its own virtual environment (.peers/venv-helpdesk,
made on the first run and reused). Its tickets go through the path its REST API uses:
`POST /api/tickets/` -> `TicketSerializer.create()` -> `TicketForm.save()` (the staff form: ticket,
"Ticket Opened" follow-up, e-mail to the submitter, signals), with a DRF token. Sablier's go through
`POST /api/mentions` with a bearer token (mention, raw payload, case, author handle; the embedded
worker triages alongside). Both: Django 5.2, one uvicorn process each, started one after the other
on a fresh SQLite file tuned the same (WAL, synchronous=NORMAL), the same demo-like rows, the same
number of client threads (httpx, keep-alive), a few warm-up requests before the clock starts.
Besides the rates it prints each server's CPU time per ticket (all its threads; for Sablier that
includes the embedded worker triaging meanwhile), which holds steadier when the machine is shared.
A third run posts the same mentions to a fresh Sablier through `POST /api/mentions/batch`
(`--batch` per request, stored as POST /api/mentions would store each): the path for connectors
and scripts that have many at once. `ratio:` is that rate over django-helpdesk's, which has no
batch path; `ratio one by one:` compares one request per ticket on both sides.

    .venv/bin/python bench/peer.py               # 2,000 tickets each side
    .venv/bin/python bench/peer.py --count 500 --threads 8
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx
from ingest import demo_like
from tqdm import tqdm

BENCH = Path(__file__).resolve().parent
VENV = BENCH.parent / ".peers" / "venv-helpdesk"
REQUIREMENTS = ["django-helpdesk==2.6.1", f"uvicorn=={version('uvicorn')}"]  # Sablier's uvicorn
WARMUP = 20


@dataclass(frozen=True)
class Side:
    name: str
    command: list[str]
    env: dict[str, str]
    url: str
    headers: dict[str, str]
    log: Path
    ok: int = 201  # the answer to every request of the run


def ensure_venv() -> Path:
    python, marker = VENV / "bin" / "python", VENV / ".bench-requirements"
    wanted = " ".join(REQUIREMENTS)
    if marker.exists() and marker.read_text(encoding="utf-8") == wanted:
        return python
    print(f"installing {wanted} into {VENV}", file=sys.stderr)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *REQUIREMENTS], check=True)
    marker.write_text(wanted, encoding="utf-8")
    return python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def helpdesk_side(python: Path, folder: Path) -> tuple[Side, int]:
    made = subprocess.run(
        [str(python), str(BENCH / "peer_helpdesk.py"), str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    prepared = json.loads(made.stdout)
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "peer_settings", "PYTHONPATH": str(folder)}
    server = ["-m", "uvicorn", "--factory", "django.core.asgi:get_asgi_application", "--log-level", "warning"]
    command = [str(python), *server, "--port", str(port)]
    headers = {"Authorization": f"Token {prepared['token']}"}
    url = f"http://127.0.0.1:{port}/api/tickets/"
    return Side("django-helpdesk", command, env, url, headers, folder / "server.log"), prepared["queue"]


def sablier(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "sablier.cli", *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout.strip()


def sablier_side(folder: Path) -> Side:
    env = {k: v for k, v in os.environ.items() if k != "SABLIER_DATABASE_URL"}
    env["SABLIER_DATA_DIR"] = str(folder)
    sablier(env, "migrate")
    sablier(env, "user", "create", "bench", "--department", "central", "--password", "bench-password")
    token = sablier(env, "token", "create", "--user", "bench")
    port = free_port()
    command = [sys.executable, "-m", "sablier.cli", "run", "--no-demo", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/api/mentions"
    return Side("Sablier", command, env, url, {"Authorization": f"Bearer {token}"}, folder / "server.log")


def wait_until_ready(side: Side, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{side.name} exited with {proc.returncode}:\n{side.log.read_text()}")
        try:
            httpx.get(side.url, headers=side.headers, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError(f"{side.name} did not answer within {seconds:.0f}s:\n{side.log.read_text()}")


@contextmanager
def serving(side: Side) -> Iterator[int]:
    with side.log.open("wb") as out:
        proc = subprocess.Popen(side.command, env=side.env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_ready(side, proc)
        yield proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def post_all(side: Side, bodies: list[dict[str, Any]], threads: int, bar: tqdm[Any] | None) -> float:
    """Seconds for `threads` keep-alive clients to post every body; any other answer than the side's
    `ok` stops the run. The bar counts tickets (a batch body holds several)."""
    failures: list[str] = []
    lock = threading.Lock()

    def client(part: list[dict[str, Any]]) -> None:
        with httpx.Client(headers=side.headers, timeout=60) as http:
            for body in part:
                response = http.post(side.url, json=body)
                with lock:
                    if response.status_code != side.ok:
                        failures.append(f"{response.status_code} {response.text[:300]}")
                    if bar is not None:
                        bar.update(len(body.get("mentions", [body])))

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(client, [bodies[i::threads] for i in range(threads)]))
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{side.name}: {len(failures)} requests failed, first: {failures[0]}")
    return elapsed


def cpu_seconds(pid: int) -> float:
    """User + system time of the server process, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    side: Side, bodies: list[dict[str, Any]], warmup: list[dict[str, Any]], threads: int
) -> tuple[float, float]:
    """Tickets per second, and server CPU milliseconds per ticket (steadier on a busy machine)."""
    tickets = sum(len(body.get("mentions", [body])) for body in bodies)
    with serving(side) as pid:
        post_all(side, warmup, threads, None)
        cpu = cpu_seconds(pid)
        with tqdm(total=tickets, unit="ticket", file=sys.stderr, desc=side.name) as bar:
            seconds = post_all(side, bodies, threads, bar)
        cpu = cpu_seconds(pid) - cpu
    return tickets / seconds, 1000 * cpu / tickets


def batch_side(side: Side) -> Side:
    """The same server, posting to POST /api/mentions/batch."""
    return Side(
        f"{side.name} batch", side.command, side.env, f"{side.url}/batch", side.headers, side.log, 200
    )


def in_batches(mentions: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    return [{"mentions": mentions[i : i + size]} for i in range(0, len(mentions), size)]


def as_ticket(row: dict[str, Any], queue: int) -> dict[str, Any]:
    """The mention as the helpdesk ticket a person would file: first line as title, text as body."""
    text: str = row["text"]
    title = text.splitlines()[0].removeprefix("Subject:").strip()[:200] or "(no subject)"
    email = row["author"]["handle"] if row["network"] == "email" else ""
    return {"queue": queue, "title": title, "description": text, "submitter_email": email, "priority": 3}


def rows(count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    warmup = [
        {**row, "external_id": f"warmup-{i}", "in_reply_to": None} for i, row in enumerate(demo_like(WARMUP))
    ]
    return demo_like(count), warmup


def run_all(count: int, threads: int, batch: int) -> dict[str, tuple[float, float]]:
    """Each side on its own scratch folder, one after the other so they never share the cores:
    django-helpdesk, Sablier one mention per request, Sablier `batch` mentions per request."""
    mentions, warmup = rows(count)
    with tempfile.TemporaryDirectory(prefix="sablier-peer-") as scratch:
        folders = [Path(scratch) / name for name in ("helpdesk", "sablier", "sablier-batch")]
        for folder in folders:
            folder.mkdir()
        helpdesk, queue = helpdesk_side(ensure_venv(), folders[0])
        tickets = [as_ticket(row, queue) for row in mentions]
        peer = measure(helpdesk, tickets, [as_ticket(row, queue) for row in warmup], threads)
        one = measure(sablier_side(folders[1]), mentions, warmup, threads)
        side = batch_side(sablier_side(folders[2]))
        bulk = measure(side, in_batches(mentions, batch), in_batches(warmup, batch // 4 or 1), threads)
        return {"helpdesk": peer, "one": one, "batch": bulk}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000, help="tickets per side (default 2000)")
    parser.add_argument("--threads", type=int, default=4, help="concurrent HTTP clients per side (default 4)")
    parser.add_argument("--batch", type=int, default=100, help="mentions per batch request (default 100)")
    args = parser.parse_args()
    before = os.getloadavg()[0]
    (peer, peer_cpu), (ours, our_cpu), (bulk, bulk_cpu) = run_all(
        args.count, args.threads, args.batch
    ).values()
    print(
        f"tickets: {args.count} per side over HTTP, {args.threads} client threads, one uvicorn process each, "
        f"SQLite (WAL) on both, {os.cpu_count()} cores, load average {before:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    print(
        f"django-helpdesk {REQUIREMENTS[0].split('==')[1]} (POST /api/tickets/): {peer:.0f} tickets/s, "
        f"server CPU {peer_cpu:.1f} ms/ticket"
    )
    print(f"Sablier (POST /api/mentions): {ours:.0f} mentions/s, server CPU {our_cpu:.1f} ms/mention")
    print(
        f"Sablier (POST /api/mentions/batch, {args.batch} per request): {bulk:.0f} mentions/s, "
        f"server CPU {bulk_cpu:.1f} ms/mention"
    )
    print(f"ratio one by one: {ours / peer:.2f}")
    print(f"ratio: {bulk / peer:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
