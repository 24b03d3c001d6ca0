"""Adding, pausing and testing connector accounts, and polling them: what a page fetched and the
cursor after it are stored in one transaction, so a restart resumes without loss or double."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sablier.connectors.base import ConnectorError, Page, backoff
from sablier.connectors.models import ERROR, OK, ConnectorAccount, ConnectorLog
from sablier.connectors.registry import check_settings, connector_type
from sablier.errors import FieldError, NotFound, SablierError, ValidationFailed
from sablier.listen.actions import do_ingest_mention

LEASE = timedelta(minutes=2)


def access_account(name: str) -> ConnectorAccount:
    account = ConnectorAccount.objects.filter(name=name).first()
    if account is None:
        known = ", ".join(ConnectorAccount.objects.values_list("name", flat=True)) or "none yet"
        raise NotFound(f"No connector named {name!r} (known: {known}).")
    return account


def do_add_connector(
    kind: str, name: str, config: dict[str, Any], now: datetime | None = None, publish_by_hand: str = ""
) -> ConnectorAccount:
    connector = connector_type(kind)
    filled = check_settings(connector, config)
    if ConnectorAccount.objects.filter(name=name).exists():
        raise ValidationFailed(
            f"a connector named {name!r} exists", [FieldError("name", "choose another name")]
        )
    return ConnectorAccount.objects.create(
        name=name,
        kind=kind,
        network=connector.network,
        config=filled,
        next_poll_at=now or timezone.now(),
        publish_by_hand=publish_by_hand,
    )


def do_pause_connector(
    account: ConnectorAccount, paused: bool, now: datetime | None = None
) -> ConnectorAccount:
    account.paused = paused
    account.next_poll_at = None if paused else (now or timezone.now())
    if not paused and account.status == ERROR:
        account.failures = 0
    account.save(update_fields=["paused", "next_poll_at", "failures"])
    return account


def log(account: ConnectorAccount, level: str, message: str, now: datetime, **detail: Any) -> None:
    ConnectorLog.objects.create(account=account, level=level, message=message[:2000], detail=detail, at=now)


def do_store_page(account: ConnectorAccount, page: Page, now: datetime) -> int:
    """The page's mentions and the cursor after it, in one transaction; the health it gives."""
    stored = 0
    with transaction.atomic():
        for item in page.items:
            if item.mention is None:
                log(account, "warning", f"payload rejected: {item.rejected}", now, raw=item.raw)
                continue
            try:
                result = do_ingest_mention(item.mention, source=f"connector:{account.name}", raw=item.raw)
            except SablierError as exc:
                log(account, "warning", f"payload rejected: {exc.message}", now, raw=item.raw)
                continue
            stored += result.created
        after = _health_after(account, page, now)
        ConnectorAccount.objects.filter(pk=account.pk).update(
            cursor=page.cursor, last_ok_at=now, fetched=F("fetched") + stored, **after
        )
    return stored


def _health_after(account: ConnectorAccount, page: Page, now: datetime) -> dict[str, Any]:
    due = now + timedelta(seconds=connector_type(account.kind).poll_seconds)
    if page.failure is None:
        return {"status": OK, "failures": 0, "next_poll_at": now if page.more else due}
    exc, message = page.failure, str(page.failure)[:2000]
    if exc.retry_at is not None:
        due = min(due, max(exc.retry_at, now))
    # A part still failing is reported at every poll; the log says it once per new failure.
    if not (account.status == ERROR and account.last_error == message):
        kind = "transient" if exc.transient else "permanent"
        log(account, "error", f"{kind} failure: {message}", now, retry_at=due.isoformat(), partial=True)
    return {
        "status": ERROR,
        "last_error": message,
        "last_error_at": now,
        "failures": account.failures + 1,
        "next_poll_at": now if page.more else due,
    }


def do_record_failure(account: ConnectorAccount, exc: ConnectorError, now: datetime) -> datetime | None:
    """Health and back-off after a failure; returns when to try again (None: stopped for good)."""
    failures = account.failures + 1
    retry = None  # permanent: stopped until a person fixes the settings and resumes it
    if exc.transient:
        retry = max(exc.retry_at, now) if exc.retry_at else now + backoff(failures)
    ConnectorAccount.objects.filter(pk=account.pk).update(
        status=ERROR, last_error=str(exc)[:2000], last_error_at=now, failures=failures, next_poll_at=retry
    )
    kind = "transient" if exc.transient else "permanent"
    log(account, "error", f"{kind} failure: {exc}", now, retry_at=retry.isoformat() if retry else None)
    return retry


def do_poll_connector(account: ConnectorAccount, now: datetime) -> int:
    """Fetch one page and store it; returns how many new mentions it brought."""
    try:
        page = connector_type(account.kind).fetch(account.config, account.cursor)
    except ConnectorError as exc:
        do_record_failure(account, exc, now)
        return 0
    return do_store_page(account, page, now)


def claim_due(now: datetime, limit: int = 20) -> list[ConnectorAccount]:
    """Accounts due for a poll, each claimed by conditional update so two workers never poll it twice."""
    due = ConnectorAccount.objects.filter(paused=False, next_poll_at__lte=now).order_by("next_poll_at")[
        :limit
    ]
    claimed = []
    for account in due:
        lease = now + LEASE
        if ConnectorAccount.objects.filter(pk=account.pk, next_poll_at=account.next_poll_at).update(
            next_poll_at=lease
        ):
            account.next_poll_at = lease
            claimed.append(account)
    return claimed


def poll_connectors(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(do_poll_connector(account, now) for account in claim_due(now))


def check_connector(account: ConnectorAccount) -> Page:
    """Connect and fetch one page from the saved cursor, storing nothing (`sablier connectors test`)."""
    return connector_type(account.kind).fetch(account.config, account.cursor)


def health(account: ConnectorAccount) -> dict[str, Any]:
    return {
        "name": account.name,
        "kind": account.kind,
        "network": account.network,
        "status": "paused" if account.paused else account.status,
        "last_error": account.last_error,
        "last_error_at": account.last_error_at,
        "last_ok_at": account.last_ok_at,
        "next_poll_at": account.next_poll_at,
        "fetched": account.fetched,
    }
