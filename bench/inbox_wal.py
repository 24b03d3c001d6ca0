"""SQLite writes with the write-ahead log checkpointed inside commits (SQLite's default) and in the
background as `sablier run` and `sablier worker` do (sablier/lib/wal.py): p50/p99/p99.9 of a
transaction storing a mention and moving a case, and the largest the log grew, on the database
bench/inbox.py has just filled and measured. Alone, on a database that bench/inbox.py kept, in
alternating rounds (this machine's load varies):

    .venv/bin/python bench/inbox_wal.py --data-dir /tmp/bench1m/sqlite --count 8000 --rounds 3
"""

from __future__ import annotations

import argparse
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from inbox_write import MENTION, RAW

from sablier.lib.wal import BOUND, DEFAULT, EVERY

STATES = ("in_department", "routed")


def _checkpoints(path: str, stop: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None, timeout=20)
    while not stop.wait(EVERY):
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    conn.close()


def _write(conn: sqlite3.Connection, mention: int, case: int, state: str) -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    text = f"Toujours pas de réponse pour mon dossier {mention}, still waiting."
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        f"INSERT INTO listen_rawinbound ({', '.join(RAW)}) VALUES (?, ?, ?, ?, ?, ?)",
        (mention, "mastodon", f"w{mention}", "{}", "bench", now),
    )
    values = (mention, mention, "mastodon", f"w{mention}", 1, "inbound", text, "", now, "", case, "{}")
    conn.execute(
        f"INSERT INTO listen_mention ({', '.join(MENTION)}) VALUES ({', '.join('?' * len(MENTION))})",
        (*values, True, "", None),
    )
    conn.execute("UPDATE cases_case SET state = ?, updated_at = ? WHERE id = ?", (state, now, case))
    conn.execute("COMMIT")


def timed_writes(path: str, count: int, background: bool) -> tuple[list[float], int]:
    """The time of each write (ms), and the largest the log grew (bytes)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=20)
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA wal_autocheckpoint={BOUND if background else DEFAULT}")
    stop = threading.Event()
    checkpointer = threading.Thread(target=_checkpoints, args=(path, stop), daemon=True)
    if background:
        checkpointer.start()
    first = int(conn.execute("SELECT max(id) FROM listen_mention").fetchone()[0]) + 1
    cases = [row[0] for row in conn.execute("SELECT id FROM cases_case WHERE state IN (?, ?)", STATES)]
    timings, log = [], Path(f"{path}-wal")
    largest = log.stat().st_size if log.exists() else 0
    for n in range(count):
        started = time.perf_counter()
        _write(conn, first + n, cases[n % len(cases)], STATES[n % 2])
        timings.append((time.perf_counter() - started) * 1000)
        largest = max(largest, log.stat().st_size) if n % 100 == 0 else largest
    stop.set()
    if background:
        checkpointer.join()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return timings, largest


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def print_writes(path: str, count: int, rounds: int) -> None:
    print(f"\nSQLite writes: store a mention and move a case, {count} transactions a line (ms)")
    print("| write-ahead log checkpoint | p50 | p99 | p99.9 | max | largest log |")
    print("|---|---|---|---|---|---|")
    ways = [("inside commits (SQLite's default)", False), ("in the background", True)]
    for round_ in range(rounds):
        for name, background in ways if round_ % 2 == 0 else ways[::-1]:
            timings, largest = timed_writes(path, count, background)
            p50, p99, p999 = (percentile(timings, share) for share in (0.5, 0.99, 0.999))
            shown = f"{p50:.1f} | {p99:.1f} | {p999:.1f} | {max(timings):.1f} | {largest / 2**20:.0f} MB"
            print(f"| {name} | {shown} |", flush=True)


if __name__ == "__main__":
    from django_setup import setup_django

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", required=True, help="the folder bench/inbox.py kept (--keep)")
    parser.add_argument("--count", type=int, default=8000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup_django(args.data_dir)
    print_writes(f"{args.data_dir}/sablier.sqlite3", args.count, args.rounds)
