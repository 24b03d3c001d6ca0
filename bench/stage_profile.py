"""Queries and time per item of the understand and route stages, on demo-like mentions in a scratch
SQLite database: the mentions are stored first (not measured), then each stage is drained in
batches as `sablier worker` does (`advance`), counting SQL statements and profiling with cProfile.

    .venv/bin/python bench/stage_profile.py                  # 2,000 mentions, batches of 500
    .venv/bin/python bench/stage_profile.py --count 500 --top 25 --stage route

Time per item is CPU time (under the profiler unless --no-profile; it adds overhead, so compare
runs of this script only); on a shared machine it varies from run to run, while the queries and
the Python function calls per item (counted by the profiler) do not.
The crisis counter (`do_count_mentions`, a periodic step) is measured afterwards over what was read.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import demo_like

WARM_UP = 50


class Queries:
    """Counts the statements Django executes, by their first words."""

    def __init__(self) -> None:
        self.count = 0
        self.kinds: Counter[str] = Counter()

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        self.kinds[_kind(sql)] += 1
        return execute(sql, params, many, context)


def _kind(sql: str) -> str:
    """`SELECT cases_case`, `UPDATE listen_mention`, `SAVEPOINT`…: the verb and the first table."""
    words = sql.replace('"', "").split()
    verb = words[0].upper() if words else "?"
    marker = {"SELECT": "FROM", "INSERT": "INTO", "DELETE": "FROM", "UPDATE": "UPDATE"}.get(verb)
    if marker is None or marker not in words:
        return verb
    at = words.index(marker) + 1
    return f"{verb} {words[at]}" if at < len(words) else verb


def _ingest(rows: list[dict[str, Any]]) -> None:
    from sablier.listen.actions import do_ingest_mention
    from sablier.listen.mention_input import check_mention

    for row in rows:
        do_ingest_mention(check_mention(row), source="bench")


def _measure(name: str, step: Callable[[], int], top: int, profile: bool) -> dict[str, Any]:
    from django.db import connection

    queries = Queries()
    profiler = cProfile.Profile() if profile else None
    items = 0
    cpu = time.process_time()
    with connection.execute_wrapper(queries):
        if profiler is not None:
            profiler.enable()
        while True:
            moved = step()
            if not moved:
                break
            items += moved
        if profiler is not None:
            profiler.disable()
    cpu = time.process_time() - cpu
    stats = pstats.Stats(profiler, stream=io.StringIO()) if profiler is not None else None
    print(f"\n{name}: {items} items, {queries.count} queries, {cpu:.2f} s cpu")
    if items:
        calls = "" if stats is None else f", {stats.total_calls / items:,.0f} Python calls/item"
        print(f"  {queries.count / items:.2f} queries/item, {1000 * cpu / items:.2f} ms/item{calls}")
        for kind, count in queries.kinds.most_common(top):
            print(f"    {count / items:7.2f}/item  {kind}")
    if stats is not None and top:
        out = io.StringIO()
        stats.stream = out
        stats.sort_stats("cumulative").print_stats("sablier/", top)
        print("\n".join(out.getvalue().splitlines()[: top + 12]))
    return {"items": items, "queries": queries.count, "cpu": cpu}


def _stage_step(stage: Any, batch: int) -> Callable[[], int]:
    from django.utils import timezone

    from sablier.workers.stage_step import advance

    return lambda: len(advance(stage, batch, timezone.now()).done)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--top", type=int, default=15, help="query kinds and profile lines shown")
    parser.add_argument("--stage", choices=("understand", "route", "both"), default="both")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sablier-stage-profile-") as folder:
        from django_setup import setup_django

        setup_django(folder)
        logging.getLogger("sablier").setLevel(logging.WARNING)
        from sablier.crisis.counting import do_count_mentions
        from sablier.crisis.settings_store import current_crisis_config
        from sablier.crisis.topics import tracked_topics
        from sablier.organisation.actions import current_rules
        from sablier.workers.stages import ROUTE, UNDERSTAND

        _ingest(demo_like(WARM_UP, "warm"))  # models loaded, caches warm
        for stage in (UNDERSTAND, ROUTE):
            _stage_step(stage, args.batch)()
        topics = tracked_topics(current_crisis_config(), current_rules())
        do_count_mentions(topics)
        _ingest(demo_like(args.count))
        profile = not args.no_profile
        understand_top = args.top if args.stage in ("understand", "both") else 0
        route_top = args.top if args.stage in ("route", "both") else 0
        _measure("understand", _stage_step(UNDERSTAND, args.batch), understand_top, profile)
        _measure("route", _stage_step(ROUTE, args.batch), route_top, profile)
        _measure("crisis counting", lambda: do_count_mentions(topics), 0, False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
