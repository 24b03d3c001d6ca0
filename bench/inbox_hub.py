"""The hub bench/inbox.py measures: migrated, filled in bulk, two people, and its real HTTP server
(uvicorn, as `sablier run` starts it, without the worker or the demo)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from django_setup import setup_django
from hub_processes import free_port
from inbox_load import generate, rare_words
from inbox_write import postgres_writer, sqlite_writer

MEMBER_DEPARTMENT = "customer-service"


@dataclass(frozen=True)
class Hub:
    url: str
    central_token: str
    member_token: str
    session: str
    departments: list[str]
    rare: list[str]
    mentions: int
    sqlite: str | None  # the database file, to measure writes on


def _people() -> tuple[str, str, str]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from sablier.organisation.people import do_create_user
    from sablier.organisation.tokens import do_create_token

    users = get_user_model().objects
    for name, department in (("bench-central", "central"), ("bench-member", MEMBER_DEPARTMENT)):
        if not users.filter(username=name).exists():
            do_create_user(name, [department], password="bench-password-1", lead=True)
    central = users.get(username="bench-central")
    session = SessionStore()
    session[SESSION_KEY] = str(central.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = central.get_session_auth_hash()
    session.create()
    member = users.get(username="bench-member")
    return do_create_token(central, "bench"), do_create_token(member, "bench"), str(session.session_key)


def _load(folder: Path, url: str | None, mentions: int, open_total: int) -> None:
    from django.db import connection

    from sablier.listen.volumes import recount_volumes
    from sablier.organisation.models import Department

    departments = dict(Department.objects.values_list("slug", "pk"))
    authors = max(1000, mentions // 20)
    started = time.perf_counter()
    now = datetime.now(UTC)
    connection.close()
    writer = (
        postgres_writer(url, authors, now)
        if url
        else sqlite_writer(str(folder / "sablier.sqlite3"), authors, now)
    )
    with writer as write:
        generate(mentions, open_total, departments, authors, write)
    recount_volumes()
    if url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    print(f"  loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urlopen(url + "api/health", timeout=2):
                return
        except (URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError("the server did not answer within 120 s")


@contextmanager
def prepare(folder: Path, url: str | None, mentions: int, open_total: int, reuse: bool) -> Iterator[Hub]:
    setup_django(str(folder), url)
    from sablier.listen.models import Mention
    from sablier.organisation.models import Department

    stored = Mention.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if not (reuse and stored):
        print(f"writing {mentions:,} mentions to {'PostgreSQL' if url else 'SQLite'}…", file=sys.stderr)
        _load(folder, url, mentions, open_total)
        stored = Mention.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    central, member, session = _people()
    departments = [
        d for d in Department.objects.order_by("position").values_list("slug", flat=True) if d != "central"
    ]
    port = free_port()
    env = {**os.environ, "SABLIER_ALLOWED_HOSTS": "127.0.0.1,localhost", "SABLIER_DEBUG": "0"}
    command = [sys.executable, "-m", "uvicorn", "sablier.asgi:application", "--port", str(port)]
    proc = subprocess.Popen([*command, "--log-level", "warning"], env=env)
    try:
        hub_url = f"http://127.0.0.1:{port}/"
        _wait(hub_url, proc)
        sqlite = None if url else str(folder / "sablier.sqlite3")
        yield Hub(hub_url, central, member, session, departments, rare_words(12), stored, sqlite)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
