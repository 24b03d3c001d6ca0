"""Work on a batch of items done once per batch rather than once per item. Inside `one_batch()`:
`once_per_batch(key, load)` loads on first use and hands back the same value after (outside, it
always loads); `remember(key, value)` gives it a value already read with others. A batch lasts a
second or so, so a change made meanwhile is seen by the next one. `insert_later(row)` keeps a new
row that nothing in the batch reads back (an audit trail entry) and inserts it with the others of
its kind when the batch ends well; outside a batch it inserts it at once. Open the batch inside
the transaction, so that the rows are part of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.db import models

T = TypeVar("T")

_memo: ContextVar[dict[str, Any] | None] = ContextVar("sablier_batch_memo", default=None)
_later: ContextVar[list[models.Model] | None] = ContextVar("sablier_batch_rows", default=None)


@contextmanager
def one_batch() -> Iterator[None]:
    token, rows_token = _memo.set({}), _later.set([])
    try:
        yield
        _insert(_later.get() or [])
    finally:
        _memo.reset(token)
        _later.reset(rows_token)


def in_batch() -> bool:
    return _memo.get() is not None


def once_per_batch(key: str, load: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return cast(T, memo[key])


def remember(key: str, value: Any) -> None:
    """What once_per_batch(key, …) hands back for the rest of the batch (nothing outside one)."""
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


def insert_later(row: models.Model) -> None:
    rows = _later.get()
    if rows is None:
        row.save(force_insert=True)
    else:
        rows.append(row)


def _insert(rows: list[models.Model]) -> None:
    """Each kind of row in one statement (or a few), in the order they were kept."""
    kinds: dict[type[models.Model], list[models.Model]] = {}
    for row in rows:
        kinds.setdefault(type(row), []).append(row)
    for model, same in kinds.items():
        model._default_manager.bulk_create(same)
