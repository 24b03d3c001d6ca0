"""A bounded cache of a pure function of strings, read many keys at a time.

`functools.lru_cache` costs a call and a linked-list node per key; the reader looks up dozens of
n-grams per message, so here a plain dict is read with `map(dict.get)` and emptied when full.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar, cast

Value = TypeVar("Value")


class Memo(Generic[Value]):
    """`compute(key)`, kept for at most `limit` keys; `compute` never answers None."""

    def __init__(self, compute: Callable[[str], Value], limit: int) -> None:
        self.compute = compute
        self.limit = limit
        self.known: dict[str, Value] = {}

    def __call__(self, key: str) -> Value:
        return self.many([key])[0]

    def many(self, keys: list[str]) -> list[Value]:
        """The values of `keys`, in order; the few not known yet are computed and kept."""
        found: list[Value | None] = list(map(self.known.get, keys))
        if None in found:
            if len(self.known) + len(keys) > self.limit:
                self.known.clear()
            for at, value in enumerate(found):
                if value is None:
                    found[at] = self.known[keys[at]] = self.compute(keys[at])
        return cast(list[Value], found)
