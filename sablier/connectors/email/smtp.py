"""Answering an e-mail by SMTP in its thread: `Re:` subject, In-Reply-To the message answered,
References its References plus it (RFC 5322 3.6.4), From the configured address."""

from __future__ import annotations

import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any

from sablier.connectors.base import Config, ConnectorError, Published, ReplyTarget
from sablier.connectors.email.messages import MAX_REFERENCES
from sablier.connectors.email.secrets import password

TIMEOUT = 20.0
ALREADY_RE = re.compile(r"^\s*(re|aw|sv|réf|ref)\s*:", re.I)


def answer_to(config: Config, text: str, target: ReplyTarget) -> EmailMessage:
    parent: dict[str, Any] = target.extra.get("parent") or {}
    answered = str(parent.get("message_id") or target.external_id)
    to = parent.get("reply_to") or parent.get("from") or target.author_handle
    if "@" not in str(to):
        raise ConnectorError(f"no e-mail address to answer {answered} (author {to!r})", transient=False)
    subject = str(parent.get("subject") or "")
    message = EmailMessage()
    message["From"] = formataddr((str(config["display_name"] or ""), str(config["address"])))
    message["To"] = str(to)
    message["Subject"] = subject if ALREADY_RE.match(subject) else f"Re: {subject}".strip()
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=str(config["address"]).rpartition("@")[2])
    message["In-Reply-To"] = f"<{answered}>"
    references = [*list(parent.get("references") or []), answered][-MAX_REFERENCES:]
    message["References"] = " ".join(f"<{r}>" for r in references)
    message.set_content(text)
    return message


def _failure(where: str, exc: Exception) -> ConnectorError:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return ConnectorError(f"{where} refused the recipient: {exc.recipients}", min(codes) < 500)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return ConnectorError(f"{where} refused the login: {exc.smtp_code} {exc.smtp_error!r}", False)
    if isinstance(exc, smtplib.SMTPResponseException):
        return ConnectorError(f"{where}: {exc.smtp_code} {exc.smtp_error!r}", exc.smtp_code < 500)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return ConnectorError(f"{where}: the server's certificate is not trusted: {exc}", False)
    return ConnectorError(f"{where}: {type(exc).__name__}: {exc}", transient=True)


def send(config: Config, message: EmailMessage) -> None:
    host, port, mode = str(config["smtp_host"]), int(config["smtp_port"]), config["smtp_tls"]
    user = str(config["smtp_username"] or config["username"])
    secret = password(config, "smtp_password") or password(config, "password")
    try:
        if mode == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT)
        with client:
            if mode == "starttls":
                client.starttls(context=ssl.create_default_context())
            if user and secret and client.has_extn("auth"):
                client.login(user, secret)
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise _failure(f"SMTP {host}:{port}", exc) from exc


def send_reply(config: Config, text: str, target: ReplyTarget) -> Published:
    message = answer_to(config, text, target)
    send(config, message)
    message_id = str(message["Message-ID"]).strip("<>")
    raw = {
        "message_id": message_id,
        "from": str(config["address"]),
        "to": str(message["To"]),
        "subject": str(message["Subject"]),
        "in_reply_to": [str(message["In-Reply-To"]).strip("<>")],
        "references": [r.strip("<>") for r in str(message["References"]).split()],
        "text": text,
    }
    return Published(message_id, "", raw)
