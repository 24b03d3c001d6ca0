"""Reading an IMAP folder a page at a time from a (UIDVALIDITY, last UID) cursor, read-only
(EXAMINE, BODY.PEEK: nothing is marked as read). When UIDVALIDITY changes the folder is read again
from the start; the Message-IDs keep that from doubling anything."""

from __future__ import annotations

import imaplib
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.utils import timezone

from sablier.connectors.base import Config, ConnectorError, Cursor, Page
from sablier.connectors.email.messages import read_message
from sablier.connectors.email.secrets import password

TIMEOUT = 20.0
BATCH = 25
UID = re.compile(rb"UID (\d+)")
TRANSIENT_REFUSALS = ("[UNAVAILABLE]", "[INUSE]", "[LIMIT]")


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _connect(config: Config) -> imaplib.IMAP4:
    host, port, mode = str(config["imap_host"]), int(config["imap_port"]), config["imap_tls"]
    if mode == "tls":
        return imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT)
    box = imaplib.IMAP4(host, port, timeout=TIMEOUT)
    if mode == "starttls":
        box.starttls(ssl.create_default_context())
    return box


@contextmanager
def session(config: Config) -> Iterator[imaplib.IMAP4]:
    """A logged-in connection; every failure told permanent (fix the settings) or transient."""
    where = f"IMAP {config['imap_host']}:{config['imap_port']}"
    box = None
    try:
        box = _connect(config)
        try:
            box.login(str(config["username"]), password(config, "password"))
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            transient = any(code in str(exc) for code in TRANSIENT_REFUSALS)
            raise ConnectorError(
                f"{where} refused the login of {config['username']}: {exc}", transient
            ) from exc
        yield box
    except ssl.SSLCertVerificationError as exc:
        raise ConnectorError(f"{where}: the server's certificate is not trusted: {exc}", False) from exc
    except (imaplib.IMAP4.abort, OSError) as exc:  # refused, reset, timed out, dropped mid-answer
        raise ConnectorError(f"{where}: {type(exc).__name__}: {exc}", transient=True) from exc
    except imaplib.IMAP4.error as exc:
        raise ConnectorError(f"{where}: {exc}", transient=True) from exc
    finally:
        if box is not None:
            with suppress(imaplib.IMAP4.error, OSError):
                box.logout()


def _open(box: imaplib.IMAP4, folder: str) -> int:
    status, answer = box.select(_quoted(folder), readonly=True)
    if status != "OK":
        raise ConnectorError(f"the IMAP folder {folder!r} cannot be opened: {answer!r}", transient=False)
    _, values = box.response("UIDVALIDITY")
    return int(values[0]) if values and values[0] else 0


def _messages(box: imaplib.IMAP4, uids: list[int]) -> dict[int, bytes]:
    status, answer = box.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
    if status != "OK":
        raise ConnectorError(f"IMAP FETCH failed: {answer!r}", transient=True)
    found: dict[int, bytes] = {}
    for part in answer:
        if isinstance(part, tuple):
            uid = UID.search(part[0])
            if uid:
                found[int(uid.group(1))] = part[1]
    return found


def read_page(config: Config, cursor: Cursor) -> Page:
    folder = str(config["folder"])
    with session(config) as box:
        validity = _open(box, folder)
        same = cursor.get("uidvalidity") == validity and cursor.get("folder", folder) == folder
        last = int(cursor.get("last_uid", 0)) if same else 0
        status, answer = box.uid("SEARCH", f"UID {last + 1}:*")
        if status != "OK":
            raise ConnectorError(f"IMAP SEARCH failed: {answer!r}", transient=True)
        # "n:*" always names the newest message, even when its UID is below n
        uids = sorted(u for u in map(int, (answer[0] or b"").split()) if u > last)
        batch = uids[:BATCH]
        bodies = _messages(box, batch) if batch else {}
    now = timezone.now()
    items = [
        read_message(bodies[uid], {"uid": uid, "uidvalidity": validity, "folder": folder}, now)
        for uid in batch
        if uid in bodies
    ]
    next_cursor: dict[str, Any] = {
        "uidvalidity": validity,
        "folder": folder,
        "last_uid": max(batch, default=last),
    }
    return Page(items, next_cursor, more=len(uids) > len(batch))
