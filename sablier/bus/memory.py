"""The in-process bus: JSON round-trips every event so tests catch what a broker would reject."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from sablier.bus.base import Handler

log = logging.getLogger(__name__)


class MemoryBus:
    def __init__(self) -> None:
        self._handlers: list[Handler] = []
        self._lock = threading.Lock()

    def publish(self, event: dict[str, Any]) -> None:
        wire = json.dumps(event, ensure_ascii=False)
        with self._lock:
            handlers = list(self._handlers)
        for handler in handlers:
            try:
                handler(json.loads(wire))
            except Exception:
                log.exception("bus handler failed on %s", event.get("name"))

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        with self._lock:
            self._handlers.append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers:
                    self._handlers.remove(handler)

        return unsubscribe
