"""Bulk contact-policy check: 10,000 identifiers against N people (default 1,000,000), on SQLite and,
with --postgres URL, on PostgreSQL (a scratch database created and dropped by this script).

    .venv/bin/python bench/contact_policy.py --quick                 # 100,000 people
    .venv/bin/python bench/contact_policy.py --postgres postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

NETWORKS = ("mastodon", "x", "bluesky")
BATCH = 10_000


def setup_django(database_url: str | None) -> None:
    os.environ["SABLIER_DATA_DIR"] = tempfile.mkdtemp(prefix="sablier-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "sablier.django_settings"
    os.environ["SABLIER_ALLOWED_HOSTS"] = "testserver,localhost"
    if database_url:
        os.environ["SABLIER_DATABASE_URL"] = database_url
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from sablier.organisation.actions import do_apply_organisation
    from sablier.organisation.config import load_organisation

    do_apply_organisation(load_organisation(None))


def _insert(cursor: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    marks = ", ".join(["%s"] * len(rows[0]))
    for start in range(0, len(rows), BATCH):
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[start : start + BATCH])


def populate(people: int, now: datetime) -> float:
    from django.db import connection, transaction

    rng, started = random.Random(7), time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _insert(
            cursor,
            "people_person",
            "id, display_name, created_at",
            [(i, f"P{i}", now) for i in range(1, people + 1)],
        )
        handles = [(i, NETWORKS[i % 3], f"@p{i}", "", "", "", "") for i in range(1, people + 1)]
        handles += [(i, "email", f"p{i}@example.com", "", "", "", "") for i in range(1, people + 1, 2)]
        _insert(
            cursor,
            "people_handle",
            "person_id, network, handle, display_name, profile_url, avatar_url, verified_email",
            handles,
        )
        cases = people // 20 + people // 50
        _insert(
            cursor,
            "cases_case",
            "id, state, language, sentiment, intent, urgency, assessment, assessment_outcome,"
            " understanding, reasons, created_at, updated_at, last_message_at",
            [
                (c, "routed", "fr", "negative", "complaint", "normal", "", "", "{}", "[]", now, now, now)
                for c in range(1, cases + 1)
            ],
        )
        held = rng.sample(range(1, people + 1), cases)
        _insert(
            cursor,
            "people_hold",
            "person_id, case_id, reason, department, started_at, until, ended_notified",
            [
                (
                    p,
                    c,
                    f"open complaint case #{c}",
                    "customer-service",
                    now,
                    None if c <= people // 20 else now - timedelta(days=3),
                    c > people // 20,
                )
                for c, p in enumerate(held, start=1)
            ],
        )
        _insert(
            cursor,
            "people_optout",
            "person_id, channel, reason, source, at",
            [
                (p, "email" if p % 2 else "*", "asked: 'stop'", "bench", now)
                for p in rng.sample(range(1, people + 1), people // 100)
            ],
        )
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def identifiers(people: int, count: int = 10_000) -> list[dict[str, Any]]:
    rng, chosen = random.Random(11), []
    for n in range(count):
        p = rng.randrange(1, people + 1)
        if n % 20 == 0:
            chosen.append({"email": f"stranger{n}@example.org"})
        elif n % 10 < 5:
            chosen.append({"email": f"p{p | 1}@example.com"})
        elif n % 10 < 9:
            chosen.append({"network": NETWORKS[p % 3], "handle": f"@p{p}"})
        else:
            chosen.append({"person_id": p})
    return chosen


def measure(people: int, now: datetime) -> dict[str, Any]:
    from django.test import Client

    from sablier.organisation.people import do_create_user
    from sablier.organisation.tokens import do_create_token
    from sablier.people.contact_policy import contact_policy
    from sablier.people.identifiers import check_identifier

    raw = identifiers(people)
    direct, http, refused = [], [], 0
    for _ in range(5):
        started = time.perf_counter()
        answers = contact_policy([check_identifier(i) for i in raw], "marketing", now)
        direct.append(time.perf_counter() - started)
        refused = sum(not a.may_contact for a in answers)
    do_create_user("bench", ["marketing"], password="bench-password-1")
    from django.contrib.auth.models import User

    token = do_create_token(User.objects.get(username="bench"))
    body = json.dumps({"identifiers": raw})
    client = Client()
    for _ in range(5):
        started = time.perf_counter()
        response = client.post(
            "/api/contact-policy/check",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        http.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    return {"direct": direct, "http": http, "refused": refused}


def run_backend(backend: str, people: int, url: str | None) -> int:
    setup_django(url)
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    loaded = populate(people, now)
    figures = measure(people, now)
    print(json.dumps({"backend": connection.vendor, "people": people, "load_seconds": loaded, **figures}))
    return 0


def scratch_postgres(url: str, create: bool) -> str:
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"sablier_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def report(line: str) -> None:
    data = json.loads(line)
    direct, http = data["direct"], data["http"]
    print(
        f"{data['backend']}: {data['people']} people loaded in {data['load_seconds']:.1f} s; "
        f"{data['refused']} of 10000 refused"
    )
    print(
        f"{data['backend']}: bulk 10000 identifiers vs {data['people']} people: "
        f"{min(direct):.3f} s min, {statistics.median(direct):.3f} s median (direct); "
        f"http: {min(http):.3f} s min, {statistics.median(http):.3f} s median"
    )


def child(args: list[str]) -> str:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return done.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 people")
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a scratch database is created on it")
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    people = 100_000 if args.quick else args.people
    if args.backend:
        return run_backend(args.backend, people, args.url)
    print(
        f"one process, {os.cpu_count()} cores on the machine, {datetime.now(UTC):%Y-%m-%d}", file=sys.stderr
    )
    report(child(["--backend", "sqlite", "--people", str(people)]))
    if args.postgres:
        url = scratch_postgres(args.postgres, create=True)
        try:
            report(child(["--backend", "postgres", "--people", str(people), "--url", url]))
        finally:
            scratch_postgres(args.postgres, create=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
