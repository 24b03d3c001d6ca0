"""SQLite's write-ahead log: checkpointed by a thread in `sablier run` and `sablier worker`, inside
commits everywhere else. Against a database file of its own: the tests' database is in memory."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import ConnectionHandler

from sablier.lib.wal import BOUND, DEFAULT, checkpoints_in_background

pytestmark = pytest.mark.django_db


@pytest.fixture
def databases(tmp_path: Path) -> Any:
    handler = ConnectionHandler(
        {
            DEFAULT_DB_ALIAS: {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "hub.sqlite3"),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
            }
        }
    )
    yield handler
    handler.close_all()


def _pragma(handler: ConnectionHandler, name: str) -> int:
    with handler[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        row = cursor.fetchone()
    return int(row[0])


def _write_pages(handler: ConnectionHandler, pages: int) -> None:
    """One commit of about `pages` pages."""
    with handler[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS note (text text)")
        cursor.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s)"
            " INSERT INTO note SELECT printf('%%.3000c', 'x') FROM n",
            [pages],
        )


def _grows(path: Path, size: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.stat().st_size > size:
            return True
        time.sleep(0.05)
    return False


def test_it_checkpoints_in_a_thread_while_commits_do_not(databases: ConnectionHandler) -> None:
    path = Path(databases[DEFAULT_DB_ALIAS].settings_dict["NAME"])
    _write_pages(databases, 1)  # opened before: its connection stops checkpointing too
    with checkpoints_in_background(databases, every=3600) as thread:
        assert thread is not None and _pragma(databases, "wal_autocheckpoint") == BOUND
        size = path.stat().st_size
        _write_pages(databases, 1500)  # past SQLite's 1,000 pages: a commit would have checkpointed
        assert path.stat().st_size == size  # the database file is written by checkpoints only
    with checkpoints_in_background(databases, every=0.05):
        assert _grows(path, size, seconds=10)


def test_it_checkpoints_in_a_commit_past_the_bound(databases: ConnectionHandler) -> None:
    """Writes that never pause leave the thread no moment to start the log again: it stays bounded."""
    path = Path(databases[DEFAULT_DB_ALIAS].settings_dict["NAME"])
    with checkpoints_in_background(databases, every=3600):
        _write_pages(databases, 1)
        size = path.stat().st_size
        _write_pages(databases, BOUND + 500)
        assert path.stat().st_size > size


def test_it_keeps_the_checkpoint_in_commits_where_no_thread_runs(databases: ConnectionHandler) -> None:
    with checkpoints_in_background(databases, every=3600):
        _write_pages(databases, 1)
    databases[DEFAULT_DB_ALIAS].close()
    assert _pragma(databases, "wal_autocheckpoint") == DEFAULT


def test_it_has_nothing_to_do_on_postgresql() -> None:
    with checkpoints_in_background(connections) as thread:
        assert (thread is None) == (connections[DEFAULT_DB_ALIAS].vendor == "postgresql")
