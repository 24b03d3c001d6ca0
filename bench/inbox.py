"""The inbox over HTTP at 1M and 10M stored mentions, on SQLite and PostgreSQL: p50/p95/p99 of a
department's newest open cases (API and HTML), with filters, the next page by cursor and text search.

    .venv/bin/python bench/inbox.py --quick                      # 100,000 mentions, both databases
    .venv/bin/python bench/inbox.py --mentions 1000000 --db both
    .venv/bin/python bench/inbox.py --mentions 10000000 --db pg --pg-url postgresql://postgres@127.0.0.1:5432/test

Mentions and cases are written in bulk (bench/inbox_load.py); the hub's real server (uvicorn, no
worker, no demo) answers. PostgreSQL runs in a database of its own, sablier_bench_inbox, dropped
after. The goal (issue 8): p95 < 20 ms unfiltered at 10M; text search < 100 ms at 1M, < 300 ms at 10M.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from inbox_scenarios import measure

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "sablier_bench_inbox"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 mentions")
    parser.add_argument("--db", choices=("sqlite", "pg", "both"), default="both")
    parser.add_argument("--pg-url", default=os.environ.get("SABLIER_TEST_PG_URL", DEFAULT_PG))
    parser.add_argument("--requests", type=int, default=200, help="per scenario")
    parser.add_argument("--open", type=int, default=4000, help="open cases, whatever the size")
    parser.add_argument("--data-dir", help="SQLite folder to keep (and reuse with --reuse)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure the database kept by --keep")
    return parser.parse_args()


def _scratch_postgres(admin_url: str, reuse: bool) -> str:
    import psycopg

    base, _, _ = admin_url.rpartition("/")
    if not reuse:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return f"{base}/{BENCH_DATABASE}"


def _drop_postgres(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def run_one(args: argparse.Namespace, mentions: int) -> None:
    """One database in this process (Django holds one backend per process)."""
    folder = Path(args.data_dir or tempfile.mkdtemp(prefix="sablier-bench-inbox-"))
    folder.mkdir(parents=True, exist_ok=True)
    url = _scratch_postgres(args.pg_url, args.reuse) if args.db == "pg" else None
    try:
        from inbox_hub import prepare

        with prepare(folder, url, mentions, args.open, reuse=args.reuse) as hub:
            measure(hub, args.requests, "PostgreSQL" if url else "SQLite")
    finally:
        if url and not args.keep:
            _drop_postgres(args.pg_url)
        if args.keep:
            print(f"kept: {url or folder}", file=sys.stderr)


def main() -> int:
    args = _arguments()
    mentions = 100_000 if args.quick else args.mentions
    if args.db != "both":
        run_one(args, mentions)
        return 0
    for db in ("sqlite", "pg"):
        command: list[Any] = [sys.executable, __file__, "--db", db, "--mentions", mentions]
        command += ["--requests", args.requests, "--open", args.open, "--pg-url", args.pg_url]
        started = time.perf_counter()
        subprocess.run([str(part) for part in command], check=True)
        print(f"({db}: {time.perf_counter() - started:.0f} s in all)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
