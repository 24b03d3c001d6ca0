"""Mentions per second through the one-machine pipeline (stored, read, assessed, routed) on SQLite,
printed next to the ceiling: plain batched inserts of the same rows with the stdlib driver.

    .venv/bin/python bench/ingest.py --quick      # 20,000 mentions
    .venv/bin/python bench/ingest.py --count 100000
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

from django_setup import setup_django


def demo_like(count: int) -> list[dict[str, Any]]:
    text = resources.files("sablier.demo").joinpath("data/mentions.jsonl").read_text(encoding="utf-8")
    demo = [json.loads(line) for line in text.splitlines() if line.strip()]
    rows = []
    for i in range(count):
        item = dict(demo[i % len(demo)])
        item["external_id"] = f"bench-{i}"
        item["in_reply_to"] = f"bench-{i - 1}" if item.get("in_reply_to") and i else None
        rows.append(item)
    return rows


def ceiling(rows: list[dict[str, Any]], folder: Path) -> float:
    conn = sqlite3.connect(folder / "ceiling.sqlite3")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE m (network TEXT, external_id TEXT, handle TEXT, text TEXT, created_at TEXT,"
        " payload TEXT, UNIQUE(network, external_id))"
    )
    started = time.perf_counter()
    for start in range(0, len(rows), 1000):
        batch = rows[start : start + 1000]
        conn.executemany(
            "INSERT INTO m VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    r["network"],
                    r["external_id"],
                    r["author"]["handle"],
                    r["text"],
                    r["created_at"],
                    json.dumps(r),
                )
                for r in batch
            ],
        )
        conn.commit()
    return len(rows) / (time.perf_counter() - started)


def end_to_end(rows: list[dict[str, Any]]) -> tuple[float, float]:
    from sablier.listen.actions import do_ingest_mention
    from sablier.listen.mention_input import check_mention
    from sablier.workers.cycle import run_single_cycle

    started = time.perf_counter()
    for row in rows:
        do_ingest_mention(check_mention(row), source="bench")
    stored = time.perf_counter() - started
    while run_single_cycle(limit=2000):
        pass
    return len(rows) / stored, len(rows) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="20,000 mentions")
    args = parser.parse_args()
    count = 20_000 if args.quick else args.count
    folder = Path(tempfile.mkdtemp(prefix="sablier-bench-"))
    setup_django(str(folder))
    rows = demo_like(count)
    raw = ceiling(rows, folder)
    stored, full = end_to_end(rows)
    print(f"mentions: {count} (SQLite, one process, {os.cpu_count()} cores)", file=sys.stderr)
    print(f"ceiling: {raw:.0f} rows/s (stdlib sqlite3, batches of 1000)")
    print(f"stored only: {stored:.0f} mentions/s")
    print(f"end-to-end: {full:.0f} mentions/s")
    print(f"ratio: {full / raw:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
