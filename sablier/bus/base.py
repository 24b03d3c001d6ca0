"""The bus interfaces. Events only wake workers and refresh screens; work messages only say which
rows a stage should look at. The database is the truth either way: a lost message loses no work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

Handler = Callable[[dict[str, Any]], None]


class Bus(Protocol):
    def publish(self, event: dict[str, Any]) -> None: ...

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Call `handler` with every event; returns a function that unsubscribes."""
        ...


class Delivery(Protocol):
    """One work message: the row ids it names and how often it has been delivered."""

    @property
    def ids(self) -> tuple[int, ...]: ...

    @property
    def deliveries(self) -> int: ...

    def ack(self) -> None: ...

    def retry(self, delay: float) -> None:
        """Deliver again after `delay` seconds (to this worker or another)."""
        ...


class WorkQueue(Protocol):
    def put(self, stage: str, ids: Sequence[int]) -> bool:
        """Never raises: False when not queued; the reconciliation pass finds those rows again."""
        ...

    def ensure(self) -> None:
        """Re-create what the broker lost (a server restarted without its store)."""
        ...

    def take(self, stage: str, limit: int, wait: float) -> list[Delivery]:
        """Up to `limit` messages for `stage`, as soon as one is there or after `wait` seconds."""
        ...

    def dead(self, stage: str, item_id: int, error: str) -> None:
        """Publish a dead letter, for operators' tools that watch the dead-letter subject."""
        ...
