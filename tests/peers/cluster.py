"""A hub as operators scale it out, for the fault tests: one `sablier run --no-demo --no-worker` (web
and API) and N `sablier worker` processes, on one PostgreSQL database and one NATS server, each
with a data folder and a log file of its own. Mentions go in through the real API with a client
that tries again until it gets a 2xx answer; results are read straight from the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

from tests.peers.process import PeerUnavailable, answers, free_port, stop, wait_until_ready

SABLIER = Path(sys.executable).parent / "sablier"
WEB_READY_SECONDS = 180.0
COMMAND_SECONDS = 300.0
USER = "faults"


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


@dataclass
class Cluster:
    folder: Path
    database_url: str
    nats_url: str
    token: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)
    web_url: str = ""

    def env(self, name: str) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("SABLIER_", "DJANGO_"))}
        return {
            **inherited,
            "SABLIER_DATA_DIR": str(self.folder / name),
            "SABLIER_DATABASE_URL": self.database_url,
            "SABLIER_NATS_URL": self.nats_url,
            "SABLIER_SECRET_KEY": "faults-tests-secret-key-of-no-value",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def command(self, *args: str) -> str:
        """Run a `sablier` command to its end; returns what it printed on stdout."""
        done = subprocess.run(
            [str(SABLIER), *args],
            env=self.env("cli"),
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
            check=False,
        )
        if done.returncode != 0:
            raise PeerUnavailable(f"sablier {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
        return done.stdout.strip()

    def prepare(self) -> str:
        """Migrate, then a person of the central team; returns an API token of theirs."""
        self.command("migrate")
        self.command("user", "create", USER, "--department", "central", "--lead")
        self.token = self.command("token", "create", "--user", USER).splitlines()[-1].strip()
        return self.token

    def spawn(self, name: str, *args: str) -> Process:
        (self.folder / name).mkdir(parents=True, exist_ok=True)
        log = self.folder / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                [str(SABLIER), *args], env=self.env(name), stdout=out, stderr=subprocess.STDOUT
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def start_web(self) -> Process:
        port = free_port()
        self.web_url = f"http://127.0.0.1:{port}/"
        return self.spawn("web", "run", "--no-demo", "--no-worker", "--port", str(port))

    def wait_for_web(self) -> None:
        [web] = [p for p in self.processes if p.name == "web"]
        ready = answers(self.web_url + "api/health")
        wait_until_ready("sablier run", web.popen, web.log, ready, WEB_READY_SECONDS, "/api/health")

    def start_worker(self) -> Process:
        number = sum(1 for p in self.processes if p.name.startswith("worker"))
        return self.spawn(f"worker{number + 1}", "worker")

    def workers(self) -> list[Process]:
        return [p for p in self.processes if p.name.startswith("worker") and p.alive()]

    def kill(self, process: Process) -> None:
        """SIGKILL: no clean-up of any kind, as when the OOM killer or a power cut takes it."""
        process.popen.send_signal(signal.SIGKILL)
        process.popen.wait(timeout=30)

    def logs(self, chars: int = 3000) -> str:
        return "\n".join(f"--- {p.name} (exit {p.popen.poll()})\n{p.tail(chars)}" for p in self.processes)

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            stop(process.popen, grace=10)


@contextmanager
def running_cluster(
    folder: Path, database_url: str, nats_url: str, token: str, env: dict[str, str], workers: int = 2
) -> Iterator[Cluster]:
    """Web and `workers` worker processes on a migrated database (see Cluster.prepare), with `env`
    added to their environment; the workers start while the web server does."""
    cluster = Cluster(folder, database_url, nats_url, token, dict(env))
    try:
        cluster.start_web()
        for _ in range(workers):
            cluster.start_worker()
        cluster.wait_for_web()
        yield cluster
    finally:
        cluster.stop_all()


class Poster:
    """POST /api/mentions until the hub answers 2xx, whatever happens meanwhile: connection
    refused or reset, a 5xx while the database restarts, a 429 asking to come back later.
    `accepted` grows as the answers come, for tests that act when part of a batch is in."""

    def __init__(self, url: str, token: str, give_up_after: float = 300.0) -> None:
        self.url, self.give_up_after = url + "api/mentions", give_up_after
        self.headers = {"Authorization": f"Bearer {token}"}
        self.accepted: list[str] = []
        self.retries: dict[str, int] = {}
        self._lock = threading.Lock()

    def _count(self, why: str) -> None:
        with self._lock:
            self.retries[why] = self.retries.get(why, 0) + 1

    def failures(self) -> int:
        """Answers that were not 2xx (and requests that got no answer) so far."""
        with self._lock:
            return sum(self.retries.values())

    def post(self, client: httpx.Client, payload: dict[str, Any]) -> dict[str, Any]:
        deadline = time.monotonic() + self.give_up_after
        while time.monotonic() < deadline:
            try:
                answer = client.post(self.url, json=payload, headers=self.headers, timeout=60)
            except httpx.TransportError as exc:
                self._count(type(exc).__name__)
                time.sleep(0.5)
                continue
            if answer.is_success:
                with self._lock:
                    self.accepted.append(payload["external_id"])
                body: dict[str, Any] = answer.json()
                return body
            if answer.status_code == 429:
                self._count("429")
                time.sleep(min(float(answer.headers.get("retry-after", "1")), 5.0))
            elif answer.status_code >= 500:
                self._count(str(answer.status_code))
                time.sleep(0.5)
            else:
                raise AssertionError(f"the hub refused {payload['external_id']}: {answer.text[:500]}")
        raise AssertionError(f"{payload['external_id']} was not accepted within {self.give_up_after:.0f} s")

    def post_all(self, conversations: Sequence[Sequence[dict[str, Any]]], lanes: int = 4) -> None:
        """Each conversation in order (a parent is accepted before its replies are sent), `lanes`
        conversations at a time; raises the first failure once every lane has stopped."""
        errors: list[BaseException] = []
        todo = list(reversed(conversations))
        lock = threading.Lock()

        def lane() -> None:
            with httpx.Client() as client:
                while True:
                    with lock:
                        if not todo or errors:
                            return
                        conversation = todo.pop()
                    try:
                        for payload in conversation:
                            self.post(client, payload)
                    except BaseException as exc:
                        with lock:
                            errors.append(exc)
                        return

        threads = [threading.Thread(target=lane, name=f"poster-{n}") for n in range(lanes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def in_background(self, conversations: Sequence[Sequence[dict[str, Any]]]) -> Background:
        return Background(lambda: self.post_all(conversations))


class Background:
    """A call running in a thread; `result()` waits for it and raises what it raised."""

    def __init__(self, call: Callable[[], None]) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(call,), name="background", daemon=True)
        self._thread.start()

    def _run(self, call: Callable[[], None]) -> None:
        try:
            call()
        except BaseException as exc:
            self._error = exc

    def running(self) -> bool:
        return self._thread.is_alive()

    def result(self, seconds: float) -> None:
        self._thread.join(seconds)
        if self._thread.is_alive():
            raise AssertionError(f"still running after {seconds:.0f} s")
        if self._error is not None:
            raise self._error


class Ledger:
    """What the database holds, read with plain SQL from outside the hub."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url, connect_timeout=5) as conn:
            return list(conn.execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.rows(sql, params)[0][0]

    def counts(self) -> dict[str, int]:
        """Every figure the fault tests wait for or assert on."""
        select = {
            "mentions": "SELECT count(*) FROM listen_mention",
            "raw": "SELECT count(*) FROM listen_rawinbound",
            "unread": "SELECT count(*) FROM listen_mention WHERE reading IS NULL",
            "unrefined": "SELECT count(*) FROM listen_mention WHERE direction = 'inbound' AND NOT refined",
            "cases": "SELECT count(*) FROM cases_case",
            "new_cases": "SELECT count(*) FROM cases_case WHERE state = 'new'",
            "triaged_events": "SELECT count(*) FROM cases_caseevent WHERE verb = 'triaged'",
            "failures": "SELECT count(*) FROM pipeline_stagefailure",
            "dead": "SELECT count(*) FROM pipeline_stagefailure WHERE dead",
        }
        sql = "SELECT " + ", ".join(f"({query}) AS {name}" for name, query in select.items())
        return dict(zip(select, self.rows(sql)[0], strict=True))

    def repeated_events(self, verbs: Sequence[str] = ("triaged", "routed")) -> list[tuple[int, str, int]]:
        """(case, verb, times) for every case that went through an automatic step more than once."""
        return [
            (int(case), str(verb), int(times))
            for case, verb, times in self.rows(
                "SELECT case_id, verb, count(*) FROM cases_caseevent WHERE verb = ANY(%s)"
                " GROUP BY case_id, verb HAVING count(*) > 1",
                [list(verbs)],
            )
        ]

    def held_by(self, pid: int) -> int:
        """Rows a worker process holds a lease on (its WORKER_ID is host:pid:random)."""
        owner = f"%:{pid}:%"
        return int(
            self.one(
                "SELECT (SELECT count(*) FROM listen_mention WHERE claimed_by LIKE %s)"
                " + (SELECT count(*) FROM cases_case WHERE claimed_by LIKE %s)",
                [owner, owner],
            )
        )

    def untriaged(self) -> list[int]:
        """Cases with no 'triaged' event at all."""
        return [
            int(row[0])
            for row in self.rows(
                "SELECT c.id FROM cases_case c WHERE NOT EXISTS"
                " (SELECT 1 FROM cases_caseevent e WHERE e.case_id = c.id AND e.verb = 'triaged')"
            )
        ]

    def external_ids(self, prefix: str = "") -> list[str]:
        sql = "SELECT external_id FROM listen_mention WHERE external_id LIKE %s"
        return [str(row[0]) for row in self.rows(sql, [f"{prefix}%"])]

    def cases_of(self, prefix: str) -> int:
        """How many cases the mentions whose external id starts with `prefix` are in."""
        sql = "SELECT count(DISTINCT case_id) FROM listen_mention WHERE external_id LIKE %s"
        return int(self.one(sql, [f"{prefix}%"]))

    def stray_replies(self) -> list[str]:
        """Replies stored in another case than the message they answer."""
        return [
            str(row[0])
            for row in self.rows(
                "SELECT r.external_id FROM listen_mention r JOIN listen_mention p"
                " ON p.network = r.network AND p.external_id = r.in_reply_to WHERE r.case_id <> p.case_id"
            )
        ]


def wait_for(check: Callable[[], bool], seconds: float, interval: float = 1.0) -> bool:
    """Poll `check` until it holds or `seconds` pass; a check that raises (the database restarting)
    counts as not yet."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except psycopg.OperationalError:
            pass
        time.sleep(interval)
    return False
