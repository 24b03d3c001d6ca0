"""One e-mail as the hub reads it: its Message-ID, its thread (In-Reply-To, References), its sender,
and the text a person wrote (text/plain preferred, HTML stripped, the quoted answer and the
attachments left out, the attachments named)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from sablier.connectors.base import Fetched
from sablier.connectors.plaintext import html_to_text
from sablier.errors import ValidationFailed
from sablier.limits import MAX_TEXT_LENGTH
from sablier.listen.mention_input import check_mention

MSG_ID = re.compile(r"<([^<>\s]+)>")
MAX_REFERENCES = 20


def message_ids(header: object) -> list[str]:
    value = str(header or "")
    return MSG_ID.findall(value) or ([value.strip()] if value.strip() and " " not in value.strip() else [])


def _text_of(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return str(content)


def without_quote(text: str) -> str:
    """The new words only: quoted lines (">") and the "On …, X wrote:" line above them go."""
    lines = text.replace("\r\n", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.startswith(">")), 0)
    above = first - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    said = above if above >= 0 and lines[above].rstrip().endswith(":") else -1
    kept = [line for i, line in enumerate(lines) if not line.startswith(">") and i != said]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _text_of(part)
    return without_quote(html_to_text(text) if part.get_content_subtype() == "html" else text)


def _attachments(message: EmailMessage) -> list[dict[str, Any]]:
    found = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        found.append(
            {"name": part.get_filename() or "unnamed", "type": part.get_content_type(), "size": size}
        )
    return found


def _when(message: EmailMessage, received: datetime) -> datetime:
    try:
        moment = parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError, IndexError):
        return received
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def raw_message(message: EmailMessage, where: dict[str, Any]) -> dict[str, Any]:
    sender = getaddresses([str(message.get("From", ""))])
    reply_to = getaddresses([str(message.get("Reply-To", ""))])
    body = _body(message)
    headers = {
        "message_id": (message_ids(message["Message-ID"]) or [""])[0],
        "from": sender[0][1].strip() if sender else "",
        "from_name": sender[0][0].strip() if sender else "",
        "reply_to": reply_to[0][1].strip() if reply_to else "",
        "to": str(message.get("To", "")),
        "cc": str(message.get("Cc", "")),
        "subject": " ".join(str(message.get("Subject", "")).split()),
        "date": str(message.get("Date", "")),
        "in_reply_to": message_ids(message["In-Reply-To"])[:1],
        "references": message_ids(message["References"])[-MAX_REFERENCES:],
        "auto_submitted": str(message.get("Auto-Submitted", "")),
    }
    return {**where, **headers, "text": body[:MAX_TEXT_LENGTH], "attachments": _attachments(message)}


def _synthetic_id(raw: dict[str, Any]) -> str:
    """A Message-ID for a message without one, the same on every read (so a resync doubles nothing)."""
    seed = "\n".join(str(raw[k]) for k in ("from", "date", "subject", "text"))
    return hashlib.sha256(seed.encode()).hexdigest()[:32] + "@sablier.invalid"


def _mention_text(raw: dict[str, Any]) -> str:
    parts = [raw["text"]] if raw["in_reply_to"] or raw["references"] else [raw["subject"], raw["text"]]
    if raw["attachments"]:
        names = ", ".join(f"{a['name']} ({a['type']})" for a in raw["attachments"])
        parts.append(f"[attachments not read: {names}]")
    return "\n\n".join(p for p in parts if p)[:MAX_TEXT_LENGTH]


def read_message(data: bytes, where: dict[str, Any], received: datetime) -> Fetched:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    raw = raw_message(message, where)
    raw["message_id"] = raw["message_id"] or _synthetic_id(raw)
    if raw["auto_submitted"] and raw["auto_submitted"].lower() != "no":
        return Fetched(raw, rejected=f"an automatic message (Auto-Submitted: {raw['auto_submitted']})")
    thread = raw["in_reply_to"] or raw["references"][-1:]
    data_in = {
        "network": "email",
        "external_id": raw["message_id"],
        "author": {
            "handle": raw["from"].lower(),
            "display_name": raw["from_name"],
            "profile_url": f"mailto:{raw['from']}" if raw["from"] else "",
        },
        "text": _mention_text(raw),
        "created_at": _when(message, received),
        "in_reply_to": thread[0] if thread else None,
    }
    try:
        return Fetched(raw, check_mention(data_in))
    except ValidationFailed as exc:
        return Fetched(raw, rejected="; ".join(f"{e.field}: {e.message}" for e in exc.errors))
