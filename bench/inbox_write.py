"""Writing bench/inbox_load.py's batches fast: SQLite with executemany in big transactions (secondary
indexes and triggers dropped, the index of words rebuilt after), PostgreSQL with COPY (triggers and
indexes off during the load). Both recount the network volumes after (inbox_hub)."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from inbox_load import Batch

from sablier.cases.search_sql import INDEX

RAW = ("id", "network", "external_id", "payload", "source", "received_at")
MENTION = (
    "id", "raw_id", "network", "external_id", "author_id", "direction", "text", "url", "created_at",
    "in_reply_to", "case_id", "reading", "refined", "claimed_by", "claimed_until",
)  # fmt: skip
CASE = (
    "id", "state", "department_id", "language", "sentiment", "intent", "urgency", "assessment",
    "assessment_outcome", "understanding", "reasons", "created_at", "updated_at", "last_message_at",
    "assignee_id", "claimed_by", "claimed_until",
)  # fmt: skip
CONSULTED = ("case_id", "department_id")
PERSON = ("id", "display_name", "merged_into_id", "created_at")
HANDLE = (
    "id", "person_id", "network", "handle", "display_name", "profile_url", "avatar_url", "verified_email",
)  # fmt: skip
TABLES = ("listen_rawinbound", "listen_mention", "cases_case", "cases_case_consulted")
Write = Callable[[Batch], None]


def _people(authors: int, now: datetime) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    persons = [(i, f"Client {i}", None, now) for i in range(1, authors + 2)]
    handles = [
        (i, i, "mastodon", f"@client{i}@example.social", f"Client {i}", "", "", "")
        for i in range(1, authors + 2)
    ]
    return persons, handles


def _stamp(value: Any) -> Any:
    return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else value


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


@contextmanager
def sqlite_writer(path: str, authors: int, now: datetime) -> Iterator[Write]:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-1000000", "temp_store=MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    marks = ",".join("?" * len(TABLES))
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks})",
        TABLES,
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    triggers = conn.execute(  # the index of words and the network volumes: rebuilt at the end
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})", TABLES
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    persons, handles = _people(authors, now)
    conn.execute("BEGIN")
    conn.executemany(_insert("people_person", PERSON), persons)
    conn.executemany(_insert("people_handle", HANDLE), handles)
    conn.execute("COMMIT")

    def write(batch: Batch) -> None:
        conn.execute("BEGIN")
        for table, columns, rows in (
            ("listen_rawinbound", RAW, batch.raws),
            ("listen_mention", MENTION, batch.mentions),
            ("cases_case", CASE, batch.cases),
            ("cases_case_consulted", CONSULTED, batch.consulted),
        ):
            conn.executemany(_insert(table, columns), [tuple(map(_stamp, row)) for row in rows])
        conn.execute("COMMIT")

    yield write
    started = time.perf_counter()
    for _, sql in [*indexes, *triggers]:
        conn.execute(sql)
    conn.execute("INSERT INTO listen_mention_fts(listen_mention_fts) VALUES ('rebuild')")
    print(f"  indexes rebuilt in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    conn.close()


def _copy(cursor: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


@contextmanager
def postgres_writer(url: str, authors: int, now: datetime) -> Iterator[Write]:
    import psycopg

    conn = psycopg.connect(url)
    conn.execute("SET session_replication_role = replica")  # no FK checks, no triggers while loading
    conn.execute("SET gin_pending_list_limit = '64MB'")
    # The index of words stays: this backend computes its documents while Python makes the next rows.
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint) AND indexname <> %s",
        [list(TABLES), INDEX],
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    persons, handles = _people(authors, now)
    with conn.cursor() as cursor:
        _copy(cursor, "people_person", PERSON, persons)
        _copy(cursor, "people_handle", HANDLE, handles)
    conn.commit()

    def write(batch: Batch) -> None:
        with conn.cursor() as cursor:
            _copy(cursor, "listen_rawinbound", RAW, batch.raws)
            _copy(cursor, "listen_mention", MENTION, batch.mentions)
            _copy(cursor, "cases_case", CASE, batch.cases)
            _copy(cursor, "cases_case_consulted", CONSULTED, batch.consulted)
        conn.commit()

    yield write
    started = time.perf_counter()
    conn.execute("SET maintenance_work_mem = '1GB'")
    for _, sql in indexes:
        conn.execute(sql)
        conn.commit()
    print(f"  indexes rebuilt in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    for table in ("people_person", "people_handle", *TABLES):
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    conn.commit()
    conn.close()
