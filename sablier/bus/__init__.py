"""Publishing domain events after the transaction that caused them commits, and handing work to
the pipeline's stages. In-process by default; NATS (JetStream for work) with SABLIER_NATS_URL."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import transaction

from sablier.bus.base import Bus, Delivery, Handler, WorkQueue
from sablier.bus.memory import MemoryBus
from sablier.bus.nats import JetStreamQueue, NatsBus, NatsLink
from sablier.events import Event

__all__ = ["Bus", "Delivery", "Handler", "WorkQueue", "emit", "get_bus", "get_work_queue", "install"]

_lock = threading.Lock()
_bus: Bus | None = None
_queue: WorkQueue | None = None


def _connect() -> None:
    global _bus, _queue
    url = settings.SABLIER.nats_url
    if not url:
        _bus = MemoryBus()
        return
    link = NatsLink.shared(url)
    _bus, _queue = NatsBus(link), JetStreamQueue(link)


def get_bus() -> Bus:
    with _lock:
        if _bus is None:
            _connect()
        assert _bus is not None
        return _bus


def get_work_queue() -> WorkQueue | None:
    """JetStream when SABLIER_NATS_URL is set; otherwise None: stages claim from the database."""
    get_bus()
    return _queue


def install(bus: Bus | None, queue: WorkQueue | None) -> tuple[Bus | None, WorkQueue | None]:
    """Use this bus and queue from now on (None: configure from the settings on first use);
    returns the previous pair. For tests that run the NATS path in one process."""
    global _bus, _queue
    with _lock:
        previous = (_bus, _queue)
        _bus, _queue = bus, queue
    return previous


def emit(event: Event) -> None:
    """Publish once the surrounding transaction commits, never for a rolled-back change. A bus
    that cannot be reached then is logged, not raised: the change is committed and stays."""
    payload = event.to_json()
    transaction.on_commit(lambda: get_bus().publish(payload), robust=True)
