"""Configuration read once per batch of work rather than once per item: inside `one_batch()`,
`once_per_batch(key, load)` loads on first use and hands back the same value after; outside, it
always loads. A batch lasts a second or so, so a change made meanwhile is seen by the next one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

T = TypeVar("T")

_memo: ContextVar[dict[str, Any] | None] = ContextVar("sablier_batch_memo", default=None)


@contextmanager
def one_batch() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def once_per_batch(key: str, load: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return cast(T, memo[key])
