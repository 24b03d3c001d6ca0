"""Claiming work by conditional UPDATE: a lease (`claimed_by`, `claimed_until`) on each row, taken
in one statement, so two workers never process the same item. PostgreSQL skips rows another
worker is locking (`FOR UPDATE SKIP LOCKED`); SQLite serialises writers, so the same statement is
atomic there. A worker killed mid-batch leaves leases that expire; the rows are then claimable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, models

LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class Pending:
    """Which rows of a table still wait for a stage: a SQL condition on the row aliased `t`."""

    model: type[models.Model]
    condition: str
    params: tuple[Any, ...] = ()

    @property
    def table(self) -> str:
        return self.model._meta.db_table


def _unfailed(stage: str, now: datetime) -> tuple[str, list[Any]]:
    """Leave out dead letters and failed items whose back-off has not yet passed."""
    sql = (
        " AND NOT EXISTS (SELECT 1 FROM pipeline_stagefailure f WHERE f.stage = %s AND f.item_id = t.id"
        " AND (f.dead = %s OR f.retry_at > %s))"
    )
    return sql, [stage, True, _at(now)]


def _at(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def claim(
    stage: str,
    pending: Pending,
    owner: str,
    limit: int,
    now: datetime,
    ids: Sequence[int] | None = None,
    lease: timedelta = LEASE,
) -> list[int]:
    """Lease up to `limit` pending rows (among `ids` when given) to `owner`; returns their ids."""
    if ids is not None and not ids:
        return []
    where = f"({pending.condition}) AND (t.claimed_until IS NULL OR t.claimed_until < %s)"
    params: list[Any] = [*pending.params, _at(now)]
    if ids is not None:
        where += f" AND t.id IN ({', '.join(['%s'] * len(ids))})"
        params += list(ids)
    unfailed, unfailed_params = _unfailed(stage, now)
    locking = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    sql = (
        f"UPDATE {pending.table} SET claimed_by = %s, claimed_until = %s WHERE id IN ("
        f"SELECT t.id FROM {pending.table} t WHERE {where}{unfailed} ORDER BY t.id LIMIT %s{locking}"
        f") RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [owner, _at(now + lease), *params, *unfailed_params, limit])
        return sorted(row[0] for row in cursor.fetchall())


def release(pending: Pending, owner: str, ids: Sequence[int]) -> None:
    """Give back leases: on rows done (a later stage may lease the same row), skipped or failed."""
    if ids:
        pending.model._default_manager.filter(pk__in=ids, claimed_by=owner).update(
            claimed_by="", claimed_until=None
        )


def still_pending(stage: str, pending: Pending, ids: Sequence[int]) -> list[int]:
    """Which of `ids` a stage has not done yet (leased elsewhere, backing off or unclaimed), dead
    letters excepted."""
    if not ids:
        return []
    dead = (
        "NOT EXISTS (SELECT 1 FROM pipeline_stagefailure f"
        " WHERE f.stage = %s AND f.item_id = t.id AND f.dead = %s)"
    )
    sql = (
        f"SELECT t.id FROM {pending.table} t WHERE ({pending.condition}) AND {dead}"
        f" AND t.id IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*pending.params, stage, True, *ids])
        return sorted(row[0] for row in cursor.fetchall())


def unclaimed(stage: str, pending: Pending, now: datetime, limit: int) -> list[int]:
    """Pending rows nobody holds a lease on (failed ones in back-off and dead letters left out)."""
    unfailed, unfailed_params = _unfailed(stage, now)
    sql = (
        f"SELECT t.id FROM {pending.table} t WHERE ({pending.condition})"
        f" AND (t.claimed_until IS NULL OR t.claimed_until < %s){unfailed} ORDER BY t.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*pending.params, _at(now), *unfailed_params, limit])
        return [row[0] for row in cursor.fetchall()]


def count_pending(pending: Pending) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {pending.table} t WHERE {pending.condition}", list(pending.params)
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0
