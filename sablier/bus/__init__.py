"""Publishing domain events after the transaction that caused them commits."""

from __future__ import annotations

from django.db import transaction

from sablier.bus.base import Bus, Handler
from sablier.bus.memory import MemoryBus
from sablier.events import Event

_bus: Bus = MemoryBus()

__all__ = ["Bus", "Handler", "emit", "get_bus"]


def get_bus() -> Bus:
    return _bus


def emit(event: Event) -> None:
    """Publish once the surrounding transaction commits, never for a rolled-back change."""
    payload = event.to_json()
    transaction.on_commit(lambda: _bus.publish(payload))
