"""Bulk contact-policy check: 10,000 identifiers (50% e-mails, 40% network handles, 10% person ids, 5% of
them unknown) against N people, through `contact_policy()` and through POST /api/contact-policy/check.
The goal: under 1 second on one core, with SQLite and with PostgreSQL.

Each backend runs in its own process (Django reads its settings once); with --postgres, a scratch database
`sablier_bench_<pid>` is created on that server and dropped at the end.

    .venv/bin/python bench/contact_policy.py --quick        # 100,000 people
    .venv/bin/python bench/contact_policy.py                # 1,000,000 people, SQLite
    .venv/bin/python bench/contact_policy.py --postgres postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/contact_policy.py --quick --profile   # cProfile of one direct check, on stderr
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django_setup import setup_django

IDENTIFIERS = 10_000
REPEAT = 5
BATCH = 10_000
PATH = "/api/contact-policy/check"
SEQUENCE = "SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
HANDLES = {"mastodon": "@p{}@mastodon.example", "x": "@p{}", "bluesky": "p{}.bsky.social"}
NETWORKS = tuple(HANDLES)
Row = tuple[Any, ...]
COLUMNS = {
    "people_person": "id, display_name, created_at",
    "people_handle": "person_id, network, handle, display_name, profile_url, avatar_url, verified_email",
    "cases_case": "id, state, language, sentiment, intent, urgency, assessment, assessment_outcome,"
    " understanding, reasons, created_at, updated_at, last_message_at",
    "people_hold": "person_id, case_id, reason, department, started_at, until, ended_notified",
    "people_optout": "person_id, channel, reason, source, at",
}

# ---- the population: generated lazily, in the tables' column order --------------------------------


def person_rows(people: int, stamp: Any) -> Iterator[Row]:
    return ((i, f"Person {i}", stamp) for i in range(1, people + 1))


def handle_rows(people: int) -> Iterator[Row]:
    """One network handle per person; an e-mail handle for every second person (even ids)."""
    for i in range(1, people + 1):
        network = NETWORKS[i % 3]
        yield (i, network, HANDLES[network].format(i), "", "", "", "")
        if i % 2 == 0:
            yield (i, "email", f"p{i}@example.com", "", "", "", "")


def case_rows(cases: int, stamp: Any) -> Iterator[Row]:
    fields = ("routed", "fr", "negative", "complaint", "normal", "", "", "{}", "[]", stamp, stamp, stamp)
    return ((c, *fields) for c in range(1, cases + 1))


def hold_rows(held: list[int], active: int, cases: int, stamp: Any, expired: Any) -> Iterator[Row]:
    """The first `active` holds are open (until NULL); the rest ended and cooled off in the past."""
    for k, person in enumerate(held):
        case, until = k % cases + 1, None if k < active else expired
        yield (person, case, f"open complaint, case {case}", "customer-service", stamp, until, k >= active)


def opt_out_rows(opted: list[int], stamp: Any) -> Iterator[Row]:
    return ((p, "email" if k % 2 else "*", "asked us to stop", "bench", stamp) for k, p in enumerate(opted))


def tables(people: int, now: datetime) -> list[tuple[str, Iterable[Row]]]:
    """5% of people with an open hold, 2% with an expired one, 1% opted out (e-mail or every channel)."""
    from django.db import connection

    stamp = connection.ops.adapt_datetimefield_value(now)
    expired = connection.ops.adapt_datetimefield_value(now - timedelta(days=3))
    rng = random.Random(7)
    active, ended = people * 5 // 100, people * 2 // 100
    held = rng.sample(range(1, people + 1), active + ended)
    opted = rng.sample(range(1, people + 1), people // 100)
    cases = max(1, min(5000, len(held)))
    return [
        ("people_person", person_rows(people, stamp)),
        ("people_handle", handle_rows(people)),
        ("cases_case", case_rows(cases, stamp)),
        ("people_hold", hold_rows(held, active, cases, stamp, expired)),
        ("people_optout", opt_out_rows(opted, stamp)),
    ]


# ---- loading: executemany in batches (SQLite), COPY (PostgreSQL) ----------------------------------


def _batches(rows: Iterable[Row]) -> Iterator[list[Row]]:
    it = iter(rows)
    while batch := list(itertools.islice(it, BATCH)):
        yield batch


def _insert(cursor: Any, table: str, rows: Iterable[Row]) -> int:
    count = 0
    for batch in _batches(rows):
        marks = ", ".join(["%s"] * len(batch[0]))
        cursor.executemany(f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({marks})", batch)
        count += len(batch)
    return count


def _copy(cursor: Any, table: str, rows: Iterable[Row]) -> int:
    count = 0
    with cursor.cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def populate(people: int, now: datetime) -> dict[str, float]:
    from django.db import connection, transaction

    write = _copy if connection.vendor == "postgresql" else _insert
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        rows = sum(write(cursor, table, data) for table, data in tables(people, now))
        if connection.vendor == "postgresql":  # ids were given explicitly: move the identity sequences on
            for table in ("people_person", "cases_case"):
                cursor.execute(SEQUENCE.format(table=table))
    loaded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"rows": rows, "load_seconds": loaded, "analyze_seconds": time.perf_counter() - started - loaded}


# ---- the measurement ------------------------------------------------------------------------------


def identifiers(people: int, count: int = IDENTIFIERS) -> list[dict[str, Any]]:
    """By position: 5 e-mails, 4 network handles, 1 person id in every 10; 5% at random are unknown."""
    rng = random.Random(11)
    chosen: list[dict[str, Any]] = []
    for n in range(count):
        kind, unknown, person = n % 10, rng.random() < 0.05, rng.randrange(1, people + 1)
        if kind < 5:
            even = min(person + person % 2, people - people % 2)  # e-mail handles belong to even ids
            chosen.append({"email": f"nobody{n}@example.org" if unknown else f"p{even}@example.com"})
        elif kind < 9:
            network = NETWORKS[person % 3]
            handle = f"nobody{n}" if unknown else HANDLES[network].format(person)
            chosen.append({"network": network, "handle": handle})
        else:
            chosen.append({"person_id": people + n + 1 if unknown else person})
    return chosen


def time_direct(raw: list[dict[str, Any]]) -> tuple[list[float], int, int]:
    """Seconds per call of contact_policy() (identifiers parsed beforehand), refusals, queries per call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sablier.people.contact_policy import contact_policy
    from sablier.people.identifiers import check_identifier

    parsed = [check_identifier(item, f"identifiers[{n}].") for n, item in enumerate(raw)]
    seconds = []
    for _ in range(REPEAT):
        now = timezone.now()
        started = time.perf_counter()
        answers = contact_policy(parsed, "marketing", now)
        seconds.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        contact_policy(parsed, "marketing", timezone.now())
    return seconds, sum(not a.may_contact for a in answers), len(queries)


def bench_token() -> str:
    from django.contrib.auth import get_user_model

    from sablier.organisation.people import do_create_user
    from sablier.organisation.tokens import do_create_token

    do_create_user("bench-marketing", ["marketing"])
    return do_create_token(get_user_model().objects.get(username="bench-marketing"), label="bench")


def time_http(raw: list[dict[str, Any]]) -> tuple[list[float], int]:
    """Seconds per POST through Django's test client (auth, JSON, validation, query, serialisation)."""
    from django.test import Client

    client, headers = Client(), {"authorization": f"Bearer {bench_token()}"}
    body = json.dumps({"identifiers": raw, "purpose": "marketing"})
    seconds = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.post(PATH, body, content_type="application/json", headers=headers)
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{PATH} answered {response.status_code}: {response.content[:500]!r}")
    return seconds, sum(not r["may_contact"] for r in response.json()["results"])


def profile(raw: list[dict[str, Any]]) -> None:
    from django.utils import timezone

    from sablier.people.contact_policy import contact_policy
    from sablier.people.identifiers import check_identifier

    parsed = [check_identifier(item) for item in raw]
    profiler = cProfile.Profile()
    profiler.runcall(contact_policy, parsed, "marketing", timezone.now())
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)


# ---- one backend per process ----------------------------------------------------------------------


def run_backend(people: int, with_profile: bool) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    figures: dict[str, Any] = {"backend": connection.vendor, "people": people}
    figures.update(populate(people, timezone.now()))
    print(f"{connection.vendor}: loaded, measuring", file=sys.stderr)
    raw = identifiers(people)
    figures["direct"], figures["refused"], figures["queries"] = time_direct(raw)
    figures["http"], figures["http_refused"] = time_http(raw)
    if with_profile:
        profile(raw)
    return figures


def child(people: int, url: str | None, with_profile: bool) -> int:
    folder = tempfile.mkdtemp(prefix="sablier-bench-")
    try:
        setup_django(folder, url)
        print(json.dumps(run_backend(people, with_profile)))
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


# ---- the parent: starts the children, prints the figures -------------------------------------------


def spawn(backend: str, people: int, url: str | None, with_profile: bool) -> dict[str, Any]:
    args = [sys.executable, __file__, "--backend", backend, "--people", str(people)]
    args += ["--url", url] if url else []
    args += ["--profile"] if with_profile else []
    done = subprocess.run(args, stdout=subprocess.PIPE, text=True, check=False)  # stderr passes through
    if done.returncode:
        raise SystemExit(f"the {backend} run failed (exit {done.returncode})")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def scratch_database(server: str, name: str, create: bool) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
        else:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return urlsplit(server)._replace(path=f"/{name}").geturl()


def report(label: str, f: dict[str, Any]) -> None:
    direct, http = f["direct"], f["http"]
    print(
        f"{label}: loaded {f['people']} people, {f['rows']} rows in {f['load_seconds']:.1f} s "
        f"({f['rows'] / f['load_seconds']:,.0f} rows/s), ANALYZE {f['analyze_seconds']:.1f} s"
    )
    print(
        f"{label}: direct min {min(direct):.3f} s, median {statistics.median(direct):.3f} s "
        f"({f['queries']} queries); http min {min(http):.3f} s, median {statistics.median(http):.3f} s; "
        f"refused {f['refused']} (direct) / {f['http_refused']} (http) of {IDENTIFIERS}"
    )
    print(
        f"{label}: bulk {IDENTIFIERS} identifiers vs {f['people']} people: "
        f"{statistics.median(direct):.2f} s (median of {REPEAT}), http: {statistics.median(http):.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 people")
    parser.add_argument("--postgres", metavar="URL", help="also run on a scratch database on this server")
    parser.add_argument("--profile", action="store_true", help="cProfile one direct check (stderr)")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    people = 100_000 if args.quick else args.people
    if args.backend:
        return child(people, args.url, args.profile)
    print(f"one process per backend; {os.cpu_count()} cores on this machine", file=sys.stderr)
    results = [("sqlite", spawn("sqlite", people, None, args.profile))]
    if args.postgres:
        name = f"sablier_bench_{os.getpid()}"
        url = scratch_database(args.postgres, name, create=True)
        try:
            results.append(("postgres", spawn("postgres", people, url, args.profile)))
        finally:
            scratch_database(args.postgres, name, create=False)
    for label, figures in results:
        report(label, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
