"""Time from `POST /api/mentions` to the new case on the SSE stream (`GET /events/`, the first
`case.triaged` or `case.routed` naming it), p50 and p99 at fixed request rates.

    .venv/bin/python bench/latency.py --quick           # SQLite, 10, 100 and 1,000/s for 5 s each
    .venv/bin/python bench/latency.py --db both         # SQLite, then PostgreSQL + NATS, 10 s each
    .venv/bin/python bench/latency.py --quick --batch-ms 50   # what is due every 50 ms, in one batch

SQLite: `sablier run --no-demo` with its embedded worker (the in-process bus carries events only
within one process, so a separate worker could not reach the stream). PostgreSQL + NATS: `sablier
run --no-demo --no-worker` and `--workers` `sablier worker` processes, on a scratch database and a
private nats-server. A central-team user logs in through /login/ and a separate process reads the
stream with that session; the sender (asyncio, httpx) posts demo-like mentions that each open a new
case, at the rate asked, with at most `--in-flight` requests open: when the hub answers slower than
that, the achieved rate is lower and is printed. After each rate the bench waits for every
accepted case (at most `--grace` seconds) before the next rate starts. Latencies are measured from
the moment a request is sent; 60 mentions go through first, unmeasured, to load the models.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import queue
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from hub_processes import (
    free_port,
    hub_env,
    load_average,
    private_nats,
    sablier,
    scratch_postgres,
    start_sablier,
    stop,
    wait_until_healthy,
    workers,
)
from ingest import demo_like

USER = "bench-central"
PASSWORD = "bench-latency-password-1"
SEEN_EVENTS = ("case.triaged", "case.routed")
WARM_UP = 60  # at 10/s: every worker's consumers get some, so no model loads while measuring
PG_DATABASE = "sablier_bench_latency"


@dataclass(frozen=True)
class Hub:
    url: str
    token: str


@contextmanager
def running_hub(db: str, worker_count: int) -> Iterator[Hub]:
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sablier-bench-latency-")))
        if db == "pg":
            database = stack.enter_context(scratch_postgres(PG_DATABASE))
            env = hub_env(folder, database, stack.enter_context(private_nats(folder)))
        else:
            env = hub_env(folder)
        sablier(["migrate"], env)
        sablier(["user", "create", USER, "--department", "central", "--password", PASSWORD], env)
        token = sablier(["token", "create", "--user", USER], env)
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        serve = ["run", "--no-demo", "--port", str(port)] + (["--no-worker"] if db == "pg" else [])
        log = folder / "server.log"
        web = start_sablier(serve, env, log)
        stack.callback(stop, web)
        wait_until_healthy(url, web, log)
        if db == "pg":
            stack.enter_context(workers(worker_count, env, folder))
        yield Hub(url, token)


def session_cookies(url: str) -> dict[str, str]:
    with httpx.Client(base_url=url) as client:
        page = client.get("/login/")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if found is None:
            raise RuntimeError("no CSRF token on /login/")
        form = {"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": found.group(1)}
        answer = client.post("/login/", data=form)
        if answer.status_code != 302:
            raise RuntimeError(f"logging in answered {answer.status_code}")
        return dict(client.cookies)


def watch(url: str, cookies: dict[str, str], seen: Any) -> None:
    """The stream reader (its own process): the first moment each case shows up, on `seen`."""
    shown: set[int] = set()
    with (
        httpx.Client(base_url=url, cookies=cookies, timeout=httpx.Timeout(5, read=None)) as client,
        client.stream("GET", "/events/") as stream,
    ):
        if stream.status_code != 200:
            seen.put(("refused", stream.status_code, 0.0))
            return
        name = ""
        for line in stream.iter_lines():
            if line.startswith("retry:"):
                seen.put(("open", 0, time.monotonic()))
            elif line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: ") and name in SEEN_EVENTS:
                case_id = int(json.loads(line.removeprefix("data: "))["case_id"])
                if case_id not in shown:
                    shown.add(case_id)
                    seen.put(("case", case_id, time.monotonic()))


@dataclass
class Round:
    rate: float
    sent: dict[int, float]  # case id -> moment its POST was sent
    answered: list[float]  # seconds each accepted POST took to answer
    statuses: Counter[str]
    achieved: float


async def send(
    url: str, token: str, rows: list[dict[str, Any]], rate: float, in_flight: int, seconds: float
) -> Round:
    """Post `rows` at `rate` for at most `seconds`: a send held back by `in_flight` is late, and what
    is not sent by then is not sent."""
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
    headers = {"Authorization": f"Bearer {token}"}
    done = Round(rate, {}, [], Counter(), 0.0)
    room = asyncio.Semaphore(in_flight)

    async def one(client: httpx.AsyncClient, row: dict[str, Any]) -> None:
        try:
            began = time.monotonic()
            answer = await client.post("/api/mentions", json=row)
        except httpx.HTTPError as exc:
            done.statuses[type(exc).__name__] += 1
            return
        finally:
            room.release()
        done.statuses[str(answer.status_code)] += 1
        if answer.status_code == 201:
            done.sent[int(answer.json()["case_id"])] = began
            done.answered.append(time.monotonic() - began)

    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as client:
        tasks = []
        start = time.monotonic()
        for index, row in enumerate(rows):
            await asyncio.sleep(max(0.0, start + index / rate - time.monotonic()))
            await room.acquire()
            if time.monotonic() - start > seconds:
                room.release()
                break
            tasks.append(asyncio.create_task(one(client, row)))
        done.achieved = len(tasks) / max(time.monotonic() - start, len(tasks) / rate)
        await asyncio.gather(*tasks)
    return done


async def send_batched(
    url: str,
    token: str,
    rows: list[dict[str, Any]],
    rate: float,
    in_flight: int,
    seconds: float,
    window: float,
) -> Round:
    """As `send`, but the mentions due within each `window` seconds leave together at its end, in one
    POST /api/mentions/batch (as a connector hands over a page): a mention's latency counts from the
    moment it was due, so the wait for its window is in it."""
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
    headers = {"Authorization": f"Bearer {token}"}
    done = Round(rate, {}, [], Counter(), 0.0)
    room = asyncio.Semaphore(in_flight)

    async def post(client: httpx.AsyncClient, group: list[tuple[float, dict[str, Any]]]) -> None:
        try:
            began = time.monotonic()
            answer = await client.post("/api/mentions/batch", json={"mentions": [row for _, row in group]})
        except httpx.HTTPError as exc:
            done.statuses[type(exc).__name__] += len(group)
            return
        finally:
            room.release()
        done.statuses[str(answer.status_code)] += len(group)
        if answer.status_code == 200:
            done.answered.append(time.monotonic() - began)
            for (due, _), item in zip(group, answer.json()["items"], strict=True):
                done.sent[int(item["case_id"])] = due

    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as client:
        tasks, sent = [], 0
        start = time.monotonic()
        while sent < len(rows) and time.monotonic() - start <= seconds:
            await asyncio.sleep(max(0.0, start + (sent / rate // window + 1) * window - time.monotonic()))
            now = time.monotonic()
            due = [(start + i / rate, rows[i]) for i in range(sent, len(rows)) if start + i / rate <= now]
            sent += len(due)
            await room.acquire()
            tasks.append(asyncio.create_task(post(client, due)))
        done.achieved = sent / max(time.monotonic() - start, sent / rate)
        await asyncio.gather(*tasks)
    return done


def fresh_rows(count: int, prefix: str) -> list[dict[str, Any]]:
    """Demo-like mentions that each open a case of their own."""
    return [{**row, "in_reply_to": None} for row in demo_like(count, prefix)]


def collect(seen: Any, arrived: dict[int, float], waiting_for: set[int], grace: float) -> None:
    deadline = time.monotonic() + grace
    while not waiting_for <= arrived.keys() and time.monotonic() < deadline:
        try:
            kind, case_id, at = seen.get(timeout=0.5)
        except queue.Empty:
            continue
        if kind == "case":
            arrived.setdefault(case_id, at)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def report(done: Round, arrived: dict[int, float], grace: float) -> str:
    latencies = [(arrived[c] - at) * 1000 for c, at in done.sent.items() if c in arrived]
    missing = len(done.sent) - len(latencies)
    answers = ", ".join(f"{status}: {n}" for status, n in sorted(done.statuses.items()))
    line = f"{done.rate:>6,.0f}/s asked, {done.achieved:>6,.1f}/s sent ({answers})"
    if not latencies:
        return f"{line}; no case on the stream within {grace:.0f} s"
    answer = f"POST answered p50 {percentile(done.answered, 0.5) * 1000:,.0f} ms"
    p50 = f"{percentile(latencies, 0.5):,.0f} ms"
    p99 = f"{percentile(latencies, 0.99):,.0f} ms" if missing <= len(done.sent) // 100 else f"> {grace:.0f} s"
    late = f"; {missing} not on the stream within {grace:.0f} s" if missing else ""
    return f"{line}; {answer}; on the stream p50 {p50}, p99 {p99}{late}"


def measure(
    hub: Hub, rates: list[float], seconds: float, in_flight: int, grace: float, window: float
) -> None:
    context = multiprocessing.get_context("spawn")
    seen = context.Queue()
    reader = context.Process(target=watch, args=(hub.url, session_cookies(hub.url), seen), daemon=True)
    reader.start()
    try:
        kind, status, _ = seen.get(timeout=60)
        if kind != "open":
            raise RuntimeError(f"the event stream answered {status}")
        arrived: dict[int, float] = {}
        warm = asyncio.run(send(hub.url, hub.token, fresh_rows(WARM_UP, "warm"), 10, in_flight, 60))
        collect(seen, arrived, set(warm.sent), 300)
        for number, rate in enumerate(rates):
            rows = fresh_rows(math.ceil(rate * seconds), f"rate{number}")
            if window:
                done = asyncio.run(send_batched(hub.url, hub.token, rows, rate, in_flight, seconds, window))
            else:
                done = asyncio.run(send(hub.url, hub.token, rows, rate, in_flight, seconds))
            collect(seen, arrived, set(done.sent), grace)
            print(f"  {report(done, arrived, grace)} [load {os.getloadavg()[0]:.1f}]", flush=True)
    finally:
        reader.terminate()
        reader.join()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="SQLite only, 5 s per rate, 30 s grace")
    parser.add_argument("--db", choices=("sqlite", "pg", "both"), default="both")
    parser.add_argument("--rates", default="10,100,1000", help="requests per second (default 10,100,1000)")
    parser.add_argument("--seconds", type=float, default=10.0, help="sending time per rate (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="PG: `sablier worker` processes (default 2)")
    parser.add_argument("--in-flight", type=int, default=64, help="open requests at most (default 64)")
    parser.add_argument("--grace", type=float, default=120.0, help="seconds to wait for the last cases")
    parser.add_argument(
        "--batch-ms",
        type=float,
        default=0,
        help="post what is due every N ms to /api/mentions/batch (default: one by one)",
    )
    args = parser.parse_args()
    rates = [float(rate) for rate in args.rates.split(",")]
    seconds, grace = (5.0, 30.0) if args.quick else (args.seconds, args.grace)
    databases = ("sqlite",) if args.quick else ("sqlite", "pg") if args.db == "both" else (args.db,)
    print(f"load average at start: {load_average()}")
    for db in databases:
        where = "SQLite, embedded worker" if db == "sqlite" else f"PostgreSQL + NATS, {args.workers} workers"
        door = (
            f"POST /api/mentions/batch every {args.batch_ms:.0f} ms"
            if args.batch_ms
            else "POST /api/mentions"
        )
        print(f"\n{where}: {door} -> case on /events/, {seconds:.0f} s per rate", flush=True)
        with running_hub(db, args.workers) as hub:
            measure(hub, rates, seconds, args.in_flight, grace, args.batch_ms / 1000)
    print(f"\nload average at end: {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
