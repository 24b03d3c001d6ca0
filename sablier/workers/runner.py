"""The worker loop: cycles while there is work, sleeps until the bus says there is more."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import close_old_connections

from sablier.bus import get_bus
from sablier.workers.cycle import run_single_cycle

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, idle_seconds: float = 2.0) -> None:
        self.idle_seconds = idle_seconds
        self.wake = threading.Event()
        self.stopping = threading.Event()

    def _on_event(self, event: dict[str, Any]) -> None:
        if event.get("name") == "mention.received":
            self.wake.set()

    def run_forever(self) -> None:
        unsubscribe = get_bus().subscribe(self._on_event)
        try:
            while not self.stopping.is_set():
                self.wake.clear()
                try:
                    moved = run_single_cycle()
                except Exception:
                    log.exception("worker cycle failed; retrying")
                    moved = 0
                finally:
                    close_old_connections()
                if not moved:
                    self.wake.wait(self.idle_seconds)
        finally:
            unsubscribe()

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name="sablier-worker", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
