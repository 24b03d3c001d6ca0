"""`sablier listen`: the networks that stream (Mastodon's streaming API, the AT Protocol firehose)
are followed live, one thread per account; each page is stored with its cursor as the poller
stores it, a dropped stream reconnects from the saved cursor, and while a stream is alive the
poller leaves its account alone (the stream renews a lease on the account's next poll)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone

from sablier.connectors.actions import do_record_failure, do_store_page
from sablier.connectors.base import Config, ConnectorError, Cursor, Page
from sablier.connectors.models import ConnectorAccount

Live = Callable[[Config, Cursor, Callable[[Page], None], threading.Event], object]
LIVE: dict[str, Live] = {}
LEASE = timedelta(minutes=2)
log = logging.getLogger(__name__)


def register_live(kind: str, listen: Live) -> None:
    LIVE[kind] = listen


def _hold_lease(account_id: int) -> None:
    ConnectorAccount.objects.filter(pk=account_id, paused=False).update(next_poll_at=timezone.now() + LEASE)


def follow(account_id: int, stop: threading.Event) -> None:
    """Follow one account until `stop`; transient failures reconnect after the back-off."""
    while not stop.is_set():
        close_old_connections()
        account = ConnectorAccount.objects.get(pk=account_id)
        if account.paused:
            return
        _hold_lease(account_id)

        def deliver(page: Page) -> None:
            fresh = ConnectorAccount.objects.get(pk=account_id)
            do_store_page(fresh, page, timezone.now())
            _hold_lease(account_id)

        try:
            LIVE[account.kind](account.config, account.cursor, deliver, stop)
        except ConnectorError as exc:
            retry = do_record_failure(ConnectorAccount.objects.get(pk=account_id), exc, timezone.now())
            if retry is None:
                log.error("%s stopped: %s", account.name, exc)
                return
            stop.wait(max((retry - timezone.now()).total_seconds(), 1.0))


def live_accounts(names: list[str]) -> list[ConnectorAccount]:
    accounts = ConnectorAccount.objects.filter(paused=False, kind__in=list(LIVE))
    return list(accounts.filter(name__in=names) if names else accounts)


def run_live(accounts: list[ConnectorAccount], stop: threading.Event) -> list[threading.Thread]:
    threads = [
        threading.Thread(target=follow, args=(a.pk, stop), name=f"listen-{a.name}", daemon=True)
        for a in accounts
    ]
    for thread in threads:
        thread.start()
    return threads
