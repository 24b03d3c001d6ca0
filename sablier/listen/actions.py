"""do_ingest_mention(): store the raw payload behind its idempotency key, thread it into a case."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sablier.bus import emit
from sablier.cases import states
from sablier.cases.merging import do_merge_cases
from sablier.cases.models import Case
from sablier.cases.transitions import do_transition_case
from sablier.errors import FieldError, ValidationFailed
from sablier.events import MentionReceived
from sablier.listen.mention_input import MentionIn
from sablier.listen.models import INBOUND, Mention, RawInbound
from sablier.people.identity import do_ensure_handle
from sablier.people.opt_out_requests import opt_out_request
from sablier.people.opt_outs import do_honour_opt_out_request
from sablier.pipeline.dispatch import hand_over_on_commit

REOPENING_STATES = (states.ANSWERED, states.CLOSED)


@dataclass(frozen=True)
class Ingested:
    mention_id: int
    case_id: int
    created: bool


def _waiting_cases(network: str, external_ids: list[str]) -> list[Case]:
    """The cases holding replies to these posts, oldest first (read from the mentions' index first:
    most posts have none)."""
    ids = set(
        Mention.objects.filter(network=network, in_reply_to__in=external_ids).values_list(
            "case_id", flat=True
        )
    )
    return list(Case.objects.filter(pk__in=ids).order_by("pk")) if ids else []


def _conversation(item: MentionIn) -> Case | None:
    """The parent's case; else the case of a sibling or of a reply that arrived before this post.
    Every other case waiting for this post is merged into the one chosen."""
    parent = (
        Mention.objects.filter(network=item.network, external_id=item.in_reply_to)
        .select_related("case")
        .first()
        if item.in_reply_to
        else None
    )
    waiting = _waiting_cases(item.network, [item.external_id])
    if parent is None and item.in_reply_to:
        waiting += _waiting_cases(item.network, [item.in_reply_to])
    target = parent.case if parent is not None else (waiting[0] if waiting else None)
    return do_merge_cases(target, waiting) if target is not None else None


def _existing(item: MentionIn) -> Ingested:
    mention = Mention.objects.get(network=item.network, external_id=item.external_id)
    return Ingested(mention.pk, mention.case_id, created=False)


def _store(item: MentionIn, raw: dict[str, Any] | None, source: str) -> Ingested:
    stored = RawInbound.objects.create(
        network=item.network,
        external_id=item.external_id,
        payload=raw if raw is not None else item.model_dump(mode="json"),
        source=source,
    )
    case = _conversation(item)
    if case is None:
        case = Case.objects.create(last_message_at=item.created_at)
    elif item.created_at > case.last_message_at:
        case.last_message_at = item.created_at
        case.save(update_fields=["last_message_at", "updated_at"])
    author = do_ensure_handle(
        item.network, item.author.handle, item.author.display_name, item.author.profile_url
    )
    mention = Mention.objects.create(
        raw=stored,
        network=item.network,
        external_id=item.external_id,
        author=author,
        direction=item.direction,
        text=item.text,
        url=item.url or "",
        created_at=item.created_at,
        in_reply_to=item.in_reply_to or "",
        case=case,
    )
    honour_opt_out_asked(mention, timezone.now())
    reopens = case.state in REOPENING_STATES and item.created_at >= case.last_message_at
    if item.direction == INBOUND and reopens:
        do_transition_case(case, states.REOPENED, None, "reopened", {"mention_id": mention.pk})
    emit(MentionReceived(mention_id=mention.pk, case_id=case.pk))
    hand_over_on_commit("understand", [mention.pk])
    return Ingested(mention.pk, case.pk, created=True)


def honour_opt_out_asked(mention: Mention, now: datetime) -> None:
    """An inbound message asking to stop contact opts its author out (the person is read only then)."""
    if mention.direction == INBOUND and opt_out_request(mention.text) is not None:
        do_honour_opt_out_request(
            mention.author.person, mention.network, mention.text, f"mention {mention.pk}", now
        )


def check_raw(raw: dict[str, Any] | None, field: str = "body") -> None:
    # PostgreSQL refuses NUL in JSON; refuse it in any field, known or not, on both databases.
    if raw is not None and "\\u0000" in json.dumps(raw):
        raise ValidationFailed("the payload contains a NUL character", [FieldError(field, "remove NUL")])


def do_ingest_mention(item: MentionIn, source: str = "api", raw: dict[str, Any] | None = None) -> Ingested:
    """Idempotent: the same (network, external id) twice is one mention. `raw` is the payload as
    received (kept as is); `item` its validated reading."""
    check_raw(raw)
    if RawInbound.objects.filter(network=item.network, external_id=item.external_id).exists():
        return _existing(item)
    try:
        with transaction.atomic():
            return _store(item, raw, source)
    except IntegrityError:
        # Another request stored the same post between our check and our insert; any other
        # integrity failure is not a duplicate and must not pass for one.
        if not RawInbound.objects.filter(network=item.network, external_id=item.external_id).exists():
            raise
        return _existing(item)
