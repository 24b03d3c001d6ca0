"""SQLite's write-ahead log, copied back into the database in the background, not inside a commit.

By default SQLite checkpoints inside the commit that takes the log past 1,000 pages, and that
commit waits for it: the write spikes. The long-running processes that write (`sablier
run`, `sablier worker`) wrap their work in `checkpoints_in_background()`: a thread of their own
checkpoints every 100 ms, and their connections (set as each opens) checkpoint in a commit only
past BOUND pages. PASSIVE: it waits for no reader and no writer and copies what it can; small and
frequent, it leaves less for the disk to flush at once.

Why a bound and not `wal_autocheckpoint=0`: only a writer restarts the log, at the start of a
write that finds it wholly copied back. Under writes that never pause, new pages land while the
thread copies, so that moment never comes and the log grows (45 MB while the demo loads, against
5 MB by default; 713 MB in 24,000 bench writes). Past BOUND pages a commit checkpoints as SQLite
would, and the next write starts the log again: that rarer, longer commit is the price (p99 down,
p99.9 up: docs/decisions.md). Every other process (tests, one-off commands) keeps SQLite's
default. PostgreSQL has nothing to do here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.utils import ConnectionHandler

EVERY = 0.1  # seconds
BOUND = 3000  # pages of the log (12 MB) past which a commit checkpoints all the same
DEFAULT = 1000  # SQLite's own wal_autocheckpoint
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    busy: bool  # another checkpoint held the lock: nothing was copied this time
    log_pages: int
    copied_pages: int


def checkpoint_wal(db: BaseDatabaseWrapper) -> Checkpoint | None:
    """Copy the log back into the database file as far as readers allow; None on PostgreSQL."""
    if db.vendor != "sqlite":
        return None
    with db.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        busy, log_pages, copied = cursor.fetchone() or (0, 0, 0)
    return Checkpoint(bool(busy), int(log_pages), int(copied))


def run_checkpoints(stop: threading.Event, databases: ConnectionHandler, every: float = EVERY) -> None:
    """Checkpoint until `stop` is set: the target of a thread, which has a connection of its own. A
    failure is logged and tried again: meanwhile commits checkpoint only past BOUND pages."""
    db = databases[DEFAULT_DB_ALIAS]
    try:
        while not stop.wait(every):
            try:
                checkpoint_wal(db)
            except DatabaseError:
                log.warning("SQLite checkpoint failed; trying again", exc_info=True)
                db.close()
    finally:
        db.close()


def _defer_autocheckpoint(db: BaseDatabaseWrapper) -> None:
    db.connection.execute(f"PRAGMA wal_autocheckpoint={BOUND}")  # the open sqlite3 connection


@contextmanager
def checkpoints_in_background(
    databases: ConnectionHandler = connections, every: float = EVERY
) -> Iterator[threading.Thread | None]:
    """While inside: this process's connections to the SQLite database leave checkpoints to a
    thread, up to BOUND pages. Yields the thread (None on PostgreSQL)."""
    main = databases[DEFAULT_DB_ALIAS]
    if main.vendor != "sqlite":
        yield None
        return
    name = main.settings_dict["NAME"]

    def on_open(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
        if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == name:
            _defer_autocheckpoint(connection)

    connection_created.connect(on_open, weak=False)
    if main.connection is not None:  # opened before (migrations): it writes too
        _defer_autocheckpoint(main)
    stop = threading.Event()
    thread = threading.Thread(
        target=run_checkpoints, args=(stop, databases, every), name="sqlite-checkpoints", daemon=True
    )
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join(timeout=5)
        connection_created.disconnect(on_open)
