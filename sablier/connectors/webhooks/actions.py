"""Receiving a delivery: the signature first (a wrong one stores nothing), then the delivery read
and stored as one page through the runner's `do_store_page`, the cursor keeping the ids of the last
deliveries so a replay is answered 200 and stored once; a malformed delivery is refused with the
reason, which the connector's log keeps."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sablier.connectors.actions import do_record_failure, do_store_page, log
from sablier.connectors.base import ConnectorError, Page
from sablier.connectors.models import ConnectorAccount
from sablier.connectors.registry import load_builtins
from sablier.connectors.webhooks.inbound import (
    INBOUND,
    Challenge,
    DeliveryDeferred,
    Headers,
    Inbound,
    MalformedDelivery,
    Query,
)
from sablier.errors import NotFound

REMEMBERED = 50  # deliveries whose ids the cursor keeps, to recognise a replay


@dataclass(frozen=True)
class Receipt:
    delivery: str
    stored: int
    rejected: int
    replay: bool = False


def access_inbound(name: str) -> tuple[ConnectorAccount, Inbound]:
    """The account a network pushes to; the same NotFound for a missing one or one that is not pushed."""
    load_builtins()
    account = ConnectorAccount.objects.filter(name=name).first()
    if account is None or account.kind not in INBOUND:
        raise NotFound(f"No webhook connector named {name!r}: add one with `sablier connectors add`.")
    return account, INBOUND[account.kind]


def check_handshake(name: str, query: Query) -> Challenge:
    account, inbound = access_inbound(name)
    return inbound.handshake(account.config, query)


def _read(account: ConnectorAccount, inbound: Inbound, body: bytes, now: datetime) -> Page | None:
    delivery = hashlib.sha256(body).hexdigest()[:32]
    seen = list(account.cursor.get("deliveries") or [])
    if delivery in seen:
        return None
    try:
        items = inbound.read_delivery(account.config, body, now)
    except MalformedDelivery as exc:
        text = body[:2000].decode("utf-8", errors="replace")
        log(account, "warning", f"delivery rejected: {exc.message}", now, delivery=delivery, body=text)
        raise
    except ConnectorError as exc:
        do_record_failure(account, exc, now)
        raise DeliveryDeferred(f"not stored, the network will deliver it again: {exc}") from exc
    cursor = {"deliveries": [*seen, delivery][-REMEMBERED:], "last_delivery": delivery, "at": now.isoformat()}
    return Page(items, cursor)


def do_receive_delivery(name: str, body: bytes, headers: Headers, query: Query, now: datetime) -> Receipt:
    account, inbound = access_inbound(name)
    inbound.check_signature(account.config, body, headers, query)
    if account.paused:
        raise DeliveryDeferred(f"the connector {name} is paused: the network will deliver it again")
    page = _read(account, inbound, body, now)
    if page is None:
        return Receipt(hashlib.sha256(body).hexdigest()[:32], 0, 0, replay=True)
    stored = do_store_page(account, page, now)
    rejected = sum(1 for item in page.items if item.mention is None)
    return Receipt(page.cursor["last_delivery"], stored, rejected)
