"""E-mail through Django's SMTP backend, to the server of SABLIER_SMTP_URL; one connection a batch."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from sablier.notify.messages import Message
from sablier.notify.transports import Outgoing, SendFailed

TIMEOUT_SECONDS = 10


def _connection() -> BaseEmailBackend:
    server = settings.SABLIER.smtp
    if server is None:
        raise SendFailed("e-mail is not configured: set SABLIER_SMTP_URL", transient=True)
    connection: BaseEmailBackend = get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=server.host,
        port=server.port,
        username=server.username,
        password=server.password,
        use_tls=server.security == "starttls",
        use_ssl=server.security == "ssl",
        timeout=TIMEOUT_SECONDS,
        fail_silently=False,
    )
    return connection


def failure(exc: Exception) -> SendFailed:
    """4xx answers, refused connections and time-outs may pass later; 5xx answers will not."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [answer[0] for answer in exc.recipients.values()]
        code = min(codes) if codes else None
    detail = f"SMTP {code}: {exc}" if code else f"{type(exc).__name__}: {exc}"
    return SendFailed(detail[:1000], transient=code is None or 400 <= int(code) < 500)


def send_batch(batch: Sequence[Outgoing]) -> list[SendFailed | None]:
    try:
        connection = _connection()
        connection.open()
    except SendFailed as exc:
        return [exc for _ in batch]
    except (OSError, smtplib.SMTPException) as exc:
        return [failure(exc) for _ in batch]
    try:
        return [_send_one(connection, address, message) for address, message in batch]
    finally:
        connection.close()


def _send_one(connection: BaseEmailBackend, address: str, message: Message) -> SendFailed | None:
    mail = EmailMultiAlternatives(
        message.subject, message.text, settings.SABLIER.mail_from, [address], connection=connection
    )
    mail.attach_alternative(message.html, "text/html")
    try:
        mail.send()
    except (OSError, smtplib.SMTPException) as exc:
        return failure(exc)
    return None
