"""A worker thread keeps its database connection from one step to the next, unless it broke."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection

from sablier.lib.worker_db import drop_broken_connections

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_connection_that_survived_a_failed_query_is_kept() -> None:
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    kept = connection.connection
    assert connection.errors_occurred
    drop_broken_connections()
    assert connection.connection is kept and not connection.errors_occurred


def test_a_connection_without_errors_is_kept_open() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    kept = connection.connection
    drop_broken_connections()
    assert connection.connection is kept


def test_a_broken_connection_is_closed_and_the_next_step_connects_again() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite connections cannot break underneath (is_usable is always true): PostgreSQL pass")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    connection.connection.close()  # as a restarted server leaves it
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    drop_broken_connections()
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
