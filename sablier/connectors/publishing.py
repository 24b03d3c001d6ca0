"""Publishing approved answers: an outbox row when a case is answered, sent by the worker through
the connector that heard the conversation, in its thread; the answer joins the case as an
outbound message. A network without a connector, or an account that publishes nothing itself
(`publish_by_hand`: a demo account), leaves the row for a person to publish by hand, saying why."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sablier.cases.models import Case, Draft
from sablier.connectors.actions import log as log_connector
from sablier.connectors.base import ConnectorError, ReplyTarget
from sablier.connectors.models import ConnectorAccount, Publication
from sablier.connectors.registry import connector_type
from sablier.errors import SablierError
from sablier.listen.actions import do_ingest_mention
from sablier.listen.mention_input import check_mention
from sablier.listen.models import INBOUND, Mention

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8


def _account_for(mention: Mention) -> ConnectorAccount | None:
    source = mention.raw.source
    if source.startswith("connector:"):
        heard = ConnectorAccount.objects.filter(name=source.removeprefix("connector:"), paused=False).first()
        if heard is not None:
            return heard
    return ConnectorAccount.objects.filter(network=mention.network, paused=False).order_by("pk").first()


def do_queue_publication(case: Case, draft: Draft, now: datetime | None = None) -> Publication:
    """Called in the transaction that moves the case to answered."""
    now = now or timezone.now()
    inbound = case.mentions.select_related("raw").filter(direction=INBOUND).order_by("-created_at", "-pk")
    last = inbound.first()
    account = _account_for(last) if last else None
    sends = account is not None and not account.publish_by_hand
    publication, created = Publication.objects.get_or_create(
        case=case,
        draft_version=draft.version,
        defaults={
            "account": account,
            "text": draft.text,
            "in_reply_to": last.external_id if last else "",
            "state": Publication.PENDING if sends else Publication.MANUAL,
            "next_attempt_at": now if sends else None,
            "created_at": now,
            "last_error": "" if sends else _why_by_hand(account),
        },
    )
    if created and account is not None and not sends:
        _log_by_hand(account, publication, now)
    return publication


def _why_by_hand(account: ConnectorAccount | None) -> str:
    if account is None:
        return "no connector publishes on this network: publish it by hand"
    return account.publish_by_hand


def _log_by_hand(account: ConnectorAccount, publication: Publication, now: datetime) -> None:
    message = f"case {publication.case_id}: {account.publish_by_hand}"
    log_connector(account, "info", message, now, publication=publication.pk, by_hand=True)


def _target(publication: Publication) -> ReplyTarget:
    case = publication.case
    parent = case.mentions.select_related("raw", "author").filter(external_id=publication.in_reply_to).first()
    root = case.mentions.select_related("raw").order_by("created_at", "pk").first()
    return ReplyTarget(
        external_id=publication.in_reply_to,
        root_id=root.external_id if root else publication.in_reply_to,
        author_handle=parent.author.handle if parent else "",
        url=parent.url if parent else "",
        extra={"parent": parent.raw.payload if parent else {}, "root": root.raw.payload if root else {}},
    )


def _record_outbound(
    publication: Publication, external_id: str, url: str, raw: dict[str, object], now: datetime
) -> None:
    """The published answer joins the case as its outbound message (after SENT is committed)."""
    account = publication.account
    assert account is not None
    item = check_mention(
        {
            "network": account.network,
            "external_id": external_id,
            "author": {
                "handle": account.config.get("handle") or account.config.get("address") or account.name
            },
            "text": publication.text,
            "url": url or None,
            "created_at": now,
            "in_reply_to": publication.in_reply_to or None,
            "direction": "outbound",
        }
    )
    do_ingest_mention(item, source=f"connector:{account.name}", raw=dict(raw) or {"published": external_id})


def _sent(
    publication: Publication, external_id: str, url: str, raw: dict[str, object], now: datetime
) -> None:
    Publication.objects.filter(pk=publication.pk, state=Publication.SENDING).update(
        state=Publication.SENT, external_id=external_id, url=url, last_error=""
    )
    try:
        with transaction.atomic():
            _record_outbound(publication, external_id, url, raw, now)
    except (SablierError, ValueError) as exc:  # published all the same: say so, do not send again
        log.warning("publication %s sent as %s but not recorded: %s", publication.pk, external_id, exc)
        Publication.objects.filter(pk=publication.pk).update(
            last_error=f"sent, not recorded on the case: {exc}"
        )


def _failed(publication: Publication, exc: ConnectorError, now: datetime) -> None:
    attempts = publication.attempts + 1
    give_up = not exc.transient or attempts >= MAX_ATTEMPTS
    retry = None if give_up else (exc.retry_at or now + timedelta(minutes=2**attempts))
    Publication.objects.filter(pk=publication.pk, state=Publication.SENDING).update(
        attempts=attempts,
        state=Publication.FAILED if give_up else Publication.PENDING,
        next_attempt_at=retry,
        last_error=str(exc)[:2000],
    )


def _left_by_hand(publication: Publication, account: ConnectorAccount, now: datetime) -> None:
    Publication.objects.filter(pk=publication.pk, state=Publication.SENDING).update(
        state=Publication.MANUAL, next_attempt_at=None, last_error=account.publish_by_hand
    )
    _log_by_hand(account, publication, now)


def _abandon_stale(now: datetime) -> None:
    """A row still SENDING after its lease: the worker died while sending. Whether the network
    took it is unknown, so a person checks instead of the hub posting twice."""
    Publication.objects.filter(state=Publication.SENDING, next_attempt_at__lt=now).update(
        state=Publication.MANUAL,
        last_error="the worker stopped while sending: check on the network whether it was published",
    )


def publish_due(now: datetime | None = None, limit: int = 20) -> int:
    now = now or timezone.now()
    _abandon_stale(now)
    sent = 0
    due = Publication.objects.filter(state=Publication.PENDING, next_attempt_at__lte=now).order_by("pk")
    for publication in due.select_related("account", "case")[:limit]:
        claimed = Publication.objects.filter(pk=publication.pk, state=Publication.PENDING).update(
            state=Publication.SENDING, next_attempt_at=now + LEASE
        )
        if not claimed or publication.account is None:
            continue  # another worker has it
        account = publication.account
        if account.publish_by_hand:  # queued before the account stopped publishing itself
            _left_by_hand(publication, account, now)
            continue
        try:
            done = connector_type(account.kind).reply(account.config, publication.text, _target(publication))
        except ConnectorError as exc:
            _failed(publication, exc, now)
            continue
        _sent(publication, done.external_id, done.url, done.raw, now)
        sent += 1
    return sent
