"""The bus interface: it only wakes workers and refreshes screens; the database is the truth."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Handler = Callable[[dict[str, Any]], None]


class Bus(Protocol):
    def publish(self, event: dict[str, Any]) -> None: ...

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Call `handler` with every event; returns a function that unsubscribes."""
        ...
