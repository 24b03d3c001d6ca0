"""Database connections of the worker's threads: kept from one step to the next, dropped when broken.

Web requests borrow a pooled connection on PostgreSQL (on SQLite each request thread of asgi.py's
pool keeps one). A worker thread lives as long as the process and runs a step every few
milliseconds when busy: a new PostgreSQL connection per step cost more than the step. After a step
that failed on the database (restarted, unreachable), the connection is closed and the next step
connects again.
"""

from __future__ import annotations

from django.db import connections


def drop_broken_connections() -> None:
    """Call after each step, instead of close_old_connections(), which would close them all."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is None or not conn.errors_occurred:
            continue
        if conn.is_usable():
            conn.errors_occurred = False  # a failed query the connection survived
        else:
            conn.close()
