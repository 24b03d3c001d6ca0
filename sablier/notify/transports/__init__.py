"""One module per channel; each sends a batch of (address, message) and answers, per message,
None when sent or a SendFailed that says whether trying again later may help."""

from __future__ import annotations

from datetime import timedelta

from sablier.notify.messages import Message

Outgoing = tuple[str, Message]


class SendFailed(Exception):
    def __init__(self, message: str, transient: bool, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after
