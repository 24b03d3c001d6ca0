"""A real SMTP server in-process (aiosmtpd) that keeps what it accepts and answers as planned."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.peers.process import free_port


class Inbox:
    """aiosmtpd handler: the planned answers first ("451 …"), then 250 and the message is kept."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.answers: list[str] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answers:
            return self.answers.pop(0)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        found = []
        for message in self.messages:
            part = message.get_body(("plain",))
            found.append(part.get_content() if part is not None else "")
        return found


@contextmanager
def running_smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    inbox.port = free_port()  # aiosmtpd 1.4.6 checks readiness by connecting to the given port: not 0
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
