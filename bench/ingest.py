"""Mentions per second end to end (stored, understood, assessed, routed) for demo-like mentions, on
SQLite in one process and on PostgreSQL + NATS with `sablier worker` processes, each printed next to
the raw ceiling measured in the same run: plain batched inserts of the same rows with the driver.

    .venv/bin/python bench/ingest.py --quick                  # SQLite, 20,000 mentions, 50 s budget
    .venv/bin/python bench/ingest.py --count 100000 --db both # SQLite, then PG+NATS with 1 and 2 workers

SQLite: one process ingests a chunk of 200 mentions with `do_ingest_mentions` (the path of
`POST /api/mentions/batch`: most in one transaction, what must be threaded one by one), then
drains the understand and route stages with `advance` (batches of 500), chunk after chunk;
stored/s counts the ingest time only, end-to-end/s the whole. PostgreSQL + NATS: a private
nats-server and a scratch database; the workers start and are warmed up, then ingest processes
(`--ingesters`) store the mentions while the workers consume; the clock stops when every mention is
read and its case has left `new`. The refine stage (the slower second pass) is not part of end to
end: its backlog is printed apart. A configuration that outlasts `--budget` seconds stops at the
next check and its rates cover what was done by then. Each configuration runs in a child process
(Django holds one database per process); the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

from hub_processes import hub_env, load_average, private_nats, scratch_postgres, workers

CHUNK = 200  # SQLite: mentions ingested before the stages drain them
BATCH = 500  # items a stage claims per step (run_single_cycle's default)
WARM_UP = 50  # mentions through the pipeline before the clock starts (models loaded, caches warm)
QUICK_COUNT = 20_000
QUICK_BUDGET = 50.0
POLL_SECONDS = 0.5
PG_DATABASE = "sablier_bench_ingest"


def demo_like(count: int, prefix: str = "bench") -> list[dict[str, Any]]:
    text = resources.files("sablier.demo").joinpath("data/mentions.jsonl").read_text(encoding="utf-8")
    demo = [json.loads(line) for line in text.splitlines() if line.strip()]
    rows = []
    for i in range(count):
        item = dict(demo[i % len(demo)])
        item["external_id"] = f"{prefix}-{i}"
        item["in_reply_to"] = f"{prefix}-{i - 1}" if item.get("in_reply_to") and i else None
        rows.append(item)
    return rows


def _plain(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return [
        (r["network"], r["external_id"], r["author"]["handle"], r["text"], r["created_at"], json.dumps(r))
        for r in rows
    ]


CEILING_TABLE = (
    "CREATE TABLE bench_ceiling (network TEXT, external_id TEXT, handle TEXT, text TEXT,"
    " created_at TEXT, payload TEXT, UNIQUE(network, external_id))"
)


def sqlite_ceiling(rows: list[dict[str, Any]], folder: Path) -> float:
    conn = sqlite3.connect(folder / "ceiling.sqlite3")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(CEILING_TABLE)
    plain = _plain(rows)
    started = time.perf_counter()
    for start in range(0, len(plain), 1000):
        conn.executemany("INSERT INTO bench_ceiling VALUES (?, ?, ?, ?, ?, ?)", plain[start : start + 1000])
        conn.commit()
    seconds = time.perf_counter() - started
    conn.close()
    return len(rows) / seconds


def pg_ceiling(rows: list[dict[str, Any]], url: str) -> float:
    import psycopg

    plain = _plain(rows)
    with psycopg.connect(url) as conn:
        conn.execute(CEILING_TABLE)
        conn.commit()
        started = time.perf_counter()
        for start in range(0, len(plain), 1000):
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO bench_ceiling VALUES (%s, %s, %s, %s, %s, %s)", plain[start : start + 1000]
                )
            conn.commit()
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_ceiling")
        conn.commit()
    return len(rows) / seconds


# --- inside a child process: Django on one database -------------------------------------------------


def _quiet() -> None:
    logging.getLogger("sablier").setLevel(logging.WARNING)


def _through() -> int:
    """Mentions read whose case has left `new`: stored, understood, assessed and routed."""
    from sablier.cases.states import NEW
    from sablier.listen.models import Mention

    return Mention.objects.filter(reading__isnull=False).exclude(case__state=NEW).count()


def _ingest(rows: list[dict[str, Any]]) -> None:
    """As POST /api/mentions/batch stores them: the ones that stand alone together, replies in order."""
    from sablier.listen.batch import Incoming, do_ingest_mentions
    from sablier.listen.mention_input import check_mention

    do_ingest_mentions([Incoming(check_mention(row), row) for row in rows], source="bench")


def _drain(stages: tuple[Any, ...]) -> None:
    from django.utils import timezone

    from sablier.workers.stage_step import advance

    while True:
        claimed = [advance(stage, BATCH, timezone.now()).claimed for stage in stages]
        if not any(claimed):
            return


def _backlog() -> dict[str, Any]:
    from sablier.pipeline.waiting import waiting_counts

    counts = waiting_counts()
    return {
        "refine_waiting": counts["refine"]["waiting"],
        "left": counts["understand"]["waiting"] + counts["route"]["waiting"],
        "failed": sum(counts[stage]["retrying"] + counts[stage]["dead"] for stage in counts),
    }


def run_sqlite(folder: str, count: int, budget: float | None, refine: bool) -> dict[str, Any]:
    from django_setup import setup_django

    setup_django(folder)
    _quiet()
    from sablier.workers.stages import REFINE, ROUTE, UNDERSTAND

    _ingest(demo_like(WARM_UP, "warm"))
    _drain((UNDERSTAND, ROUTE))
    rows = demo_like(count)
    stored = total = 0.0
    done = 0
    cpu = time.process_time()
    for start in range(0, count, CHUNK):
        began = time.perf_counter()
        _ingest(rows[start : start + CHUNK])
        ingested = time.perf_counter()
        _drain((UNDERSTAND, ROUTE))
        stored += ingested - began
        total += time.perf_counter() - began
        done = min(start + CHUNK, count)
        print(f"  {done} mentions through, {total:.0f} s", file=sys.stderr)
        if budget is not None and total > budget:
            break
    result = {
        "measured": done,
        "stored": done,
        "through": _through() - WARM_UP,
        "stored_seconds": stored,
        "seconds": total,
        "cpu": {"bench": time.process_time() - cpu},
        **_backlog(),
    }
    if refine:
        began = time.perf_counter()
        _drain((REFINE,))
        result["refine_rate"] = result["refine_waiting"] / (time.perf_counter() - began)
    return result


def _django(folder: str, database_url: str, nats_url: str) -> None:
    os.environ.update(
        SABLIER_DATA_DIR=folder,
        DJANGO_SETTINGS_MODULE="sablier.django_settings",
        SABLIER_DATABASE_URL=database_url,
        SABLIER_NATS_URL=nats_url,
    )
    import django

    django.setup()
    _quiet()


def ingest_part(spec: dict[str, Any], part: int, go: Any, halt: Any, results: Any) -> None:
    """An ingest process: Django set up, it waits for the start, then stores its share of the rows
    (every `ingesters`-th one) until done or halted."""
    _django(spec["folder"], spec["database_url"], spec["nats_url"])
    rows = demo_like(spec["count"])[part :: spec["ingesters"]]
    results.put((0, 0.0, 0.0))
    go.wait()
    cpu = time.process_time()
    stored = 0
    for start in range(0, len(rows), 100):
        if halt.is_set():
            break
        _ingest(rows[start : start + 100])
        stored = min(start + 100, len(rows))
    results.put((stored, time.monotonic(), time.process_time() - cpu))


def _wait_through(target: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while _through() < target:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the warm-up did not get through within {seconds:.0f} s")
        time.sleep(POLL_SECONDS)


def _poll(count: int, started: float, budget: float | None) -> tuple[int, float]:
    from sablier.listen.models import Mention

    through, shown = 0, 0.0
    while through < count:
        time.sleep(POLL_SECONDS)
        through = _through() - WARM_UP
        elapsed = time.monotonic() - started
        if elapsed - shown >= 10:
            stored = Mention.objects.count() - WARM_UP
            print(f"  {stored} stored, {through} through, {elapsed:.0f} s", file=sys.stderr)
            shown = elapsed
        if budget is not None and elapsed > budget:
            break
    return through, time.monotonic() - started


def run_pg(spec: dict[str, Any]) -> dict[str, Any]:
    import multiprocessing

    from django_setup import setup_django
    from hub_processes import cpu_seconds

    os.environ["SABLIER_NATS_URL"] = spec["nats_url"]
    setup_django(spec["folder"], spec["database_url"])
    _quiet()
    env = hub_env(Path(spec["folder"]), spec["database_url"], spec["nats_url"])
    with workers(spec["workers"], env, Path(spec["folder"])) as procs:
        # trickled, so that the consumers of every worker get some and load their models now
        for row in demo_like(WARM_UP, "warm"):
            _ingest([row])
            time.sleep(0.05)
        _wait_through(WARM_UP, 300)
        context = multiprocessing.get_context("spawn")
        go, halt, results = context.Event(), context.Event(), context.Queue()
        ingesters = [
            context.Process(target=ingest_part, args=(spec, part, go, halt, results), daemon=True)
            for part in range(spec["ingesters"])
        ]
        for proc in ingesters:
            proc.start()
        for _ in ingesters:
            results.get(timeout=300)
        worker_cpu = sum(cpu_seconds(p.pid) for p in procs)
        started = time.monotonic()
        go.set()
        through, seconds = _poll(spec["count"], started, spec["budget"])
        halt.set()
        worker_cpu = sum(cpu_seconds(p.pid) for p in procs) - worker_cpu
        backlog = _backlog()
        finished = [results.get(timeout=600) for _ in ingesters]
    for proc in ingesters:
        proc.join()
    return {
        "measured": through,
        "stored": sum(stored for stored, _, _ in finished),
        "through": through,
        "stored_seconds": max(at for _, at, _ in finished) - started,
        "seconds": seconds,
        "cpu": {"ingest": sum(cpu for _, _, cpu in finished), "workers": worker_cpu},
        **backlog,
    }


# --- the bench process: ceilings, child processes, tables ---------------------------------------------


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", json.dumps(spec)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {spec['db']} run exited with {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _table(title: str, ceiling: str, raw: float, count: int, result: dict[str, Any]) -> float:
    measured = result["measured"]
    full = result["through"] / result["seconds"]
    print(f"\n{title}")
    if measured < count:
        print(f"  measured     {measured:,} of {count:,} mentions before the budget ran out; rates over them")
    print(f"  ceiling      {ceiling:<42}{raw:>10,.0f} rows/s")
    stored = result["stored"] / result["stored_seconds"]
    print(f"  stored       {'do_ingest_mentions, batches (as the API)':<42}{stored:>10,.0f} mentions/s")
    end_to_end = "stored, understood, assessed, routed"
    print(f"  end-to-end   {end_to_end:<42}{full:>10,.0f} mentions/s  ({result['seconds']:.1f} s)")
    print(f"  ratio        {'end-to-end / ceiling':<42}{full / raw:>10.4f}")
    cpu = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result["cpu"].items())
    total = sum(result["cpu"].values())
    print(f"  cpu          {cpu} = {result['through'] / total:,.0f} mentions per cpu-second of the hub")
    if result["left"] or result["failed"]:
        print(f"  left         {result['left']} items waiting, {result['failed']} failed")
    refine = f"{result['refine_waiting']:,} waiting at the end (the second pass; not part of end to end)"
    if "refine_rate" in result:
        refine += f"; then drained at {result['refine_rate']:,.0f}/s"
    print(f"  refine       {refine}")
    return full


def _sqlite(count: int, budget: float | None, refine: bool) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="sablier-bench-ingest-") as folder:
        raw = sqlite_ceiling(demo_like(count), Path(folder))
        spec = {"db": "sqlite", "folder": folder, "count": count, "budget": budget, "refine": refine}
        result = _child(spec)
    title = f"SQLite, one process: chunks of {CHUNK:,} ingested, then understand + route drained ({count:,})"
    full = _table(title, "stdlib sqlite3, batches of 1,000", raw, count, result)
    return full, full / raw


def _postgres(count: int, worker_count: int, ingesters: int, budget: float | None) -> tuple[float, float]:
    with (
        tempfile.TemporaryDirectory(prefix="sablier-bench-ingest-") as folder,
        scratch_postgres(PG_DATABASE) as url,
        private_nats(Path(folder)) as nats_url,
    ):
        raw = pg_ceiling(demo_like(count), url)
        spec = {
            "db": "pg",
            "folder": folder,
            "database_url": url,
            "nats_url": nats_url,
            "count": count,
            "workers": worker_count,
            "ingesters": ingesters,
            "budget": budget,
        }
        result = _child(spec)
    title = (
        f"PostgreSQL + NATS: {worker_count} `sablier worker` process(es), {ingesters} ingest process(es),"
        f" concurrently ({count:,})"
    )
    full = _table(title, "psycopg executemany, batches of 1,000", raw, count, result)
    return full, full / raw


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help=f"SQLite only, {QUICK_COUNT:,} mentions")
    parser.add_argument("--db", choices=("sqlite", "pg", "both"), default="both")
    parser.add_argument("--workers", default="1,2", help="PG: worker process counts to try (default 1,2)")
    parser.add_argument("--ingesters", type=int, default=1, help="PG: ingest processes (default 1)")
    parser.add_argument("--budget", type=float, help="seconds per configuration (quick: 50)")
    parser.add_argument("--refine", action="store_true", help="SQLite: drain the refine stage afterwards")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        spec = json.loads(args.child)
        if spec["db"] == "sqlite":
            result = run_sqlite(spec["folder"], spec["count"], spec["budget"], spec["refine"])
        else:
            result = run_pg(spec)
        print(json.dumps(result))
        return 0
    count = QUICK_COUNT if args.quick else args.count
    db = "sqlite" if args.quick else args.db
    budget = QUICK_BUDGET if args.quick and args.budget is None else args.budget
    print(f"load average at start: {load_average()}")
    summaries: list[tuple[float, float]] = []
    if db in ("sqlite", "both"):
        summaries.append(_sqlite(count, budget, args.refine))
    if db in ("pg", "both"):
        for worker_count in (int(n) for n in args.workers.split(",")):
            summaries.append(_postgres(count, worker_count, args.ingesters, budget))
    print(f"\nload average at end: {load_average()}")
    # The last lines: SQLite when it ran, else the last PostgreSQL configuration.
    summary = summaries[0] if db != "pg" else summaries[-1]
    print(f"end-to-end: {summary[0]:.0f} mentions/s")
    print(f"ratio: {summary[1]:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
