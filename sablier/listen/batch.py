"""do_ingest_mentions(): many mentions stored in one transaction with a handful of queries.

Most mentions of a deep queue open a case or reply to a post already placed (`batch_plan.py`):
those are inserted together, in one transaction. The rest go through do_ingest_mention, one by one
and in order, after them. Each answer is what do_ingest_mention gives (the same post twice is one
mention), in the order given; the cases hold the same conversations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sablier.bus import emit
from sablier.cases.models import Case
from sablier.events import MentionReceived
from sablier.listen.actions import (
    REOPENING_STATES,
    Ingested,
    check_raw,
    do_ingest_mention,
    honour_opt_out_asked,
)
from sablier.listen.batch_plan import BatchPlan, Key, StoredParent, plan_batch
from sablier.listen.mention_input import MentionIn
from sablier.listen.models import Mention, RawInbound
from sablier.people.identity import do_ensure_handles, handle_key
from sablier.pipeline.dispatch import hand_over_on_commit

MAX_BATCH = 1000


@dataclass(frozen=True)
class Incoming:
    mention: MentionIn
    raw: dict[str, Any] | None = None

    @property
    def key(self) -> Key:
        return self.mention.network, self.mention.external_id


def _by_network(keys: Iterable[Key]) -> dict[str, list[str]]:
    """External ids grouped by network: one query per network, on its (network, external id) index."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for network, external_id in keys:
        grouped[network].append(external_id)
    return grouped


def _stored(keys: set[Key]) -> dict[Key, Ingested]:
    """The ones already here, as do_ingest_mention answers a duplicate."""
    found: dict[Key, Ingested] = {}
    for network, ids in _by_network(keys).items():
        rows = Mention.objects.filter(network=network, external_id__in=ids).values_list(
            "external_id", "pk", "case_id"
        )
        found.update(((network, e), Ingested(pk, case, created=False)) for e, pk, case in rows)
    return found


def _placing(
    fresh: Sequence[Incoming],
) -> tuple[dict[Key, StoredParent], set[Key], dict[Key, list[StoredParent]]]:
    """What plan_batch needs to know of the stored messages: the parents the batch replies to, the
    batch's posts that stored replies await, the stored replies to the same parents."""
    parents: dict[Key, StoredParent] = {}
    awaited: set[Key] = set()
    siblings: dict[Key, list[StoredParent]] = defaultdict(list)
    named = _by_network((i.mention.network, i.mention.in_reply_to) for i in fresh if i.mention.in_reply_to)
    for network, ids in _by_network(item.key for item in fresh).items():
        replied = Mention.objects.filter(network=network, in_reply_to__in=ids).values_list(
            "in_reply_to", flat=True
        )
        awaited.update((network, e) for e in replied)
    for network, ids in named.items():
        stored = Mention.objects.filter(network=network, external_id__in=ids)
        for external_id, case, state in stored.values_list("external_id", "case_id", "case__state"):
            parents[(network, external_id)] = StoredParent(case, state in REOPENING_STATES)
        replies = Mention.objects.filter(network=network, in_reply_to__in=ids)
        for parent, case, state in replies.values_list("in_reply_to", "case_id", "case__state"):
            siblings[(network, parent)].append(StoredParent(case, state in REOPENING_STATES))
    return parents, awaited, siblings


def _insert_planned(fresh: Sequence[Incoming], plan: BatchPlan, source: str) -> dict[Key, Ingested]:
    """The placed mentions: raw rows, new cases, handles and mentions, one insert each."""
    now = timezone.now()
    cases = Case.objects.bulk_create(
        [Case(last_message_at=max(fresh[p].mention.created_at for p in group)) for group in plan.new_cases]
    )
    case_at = {p: case.pk for group, case in zip(plan.new_cases, cases, strict=True) for p in group}
    for case_id, positions in plan.joins.items():
        latest = max(fresh[p].mention.created_at for p in positions)
        Case.objects.filter(pk=case_id, last_message_at__lt=latest).update(
            last_message_at=latest, updated_at=now
        )
        case_at.update((p, case_id) for p in positions)
    placed = [fresh[p] for p in sorted(case_at)]
    raws = RawInbound.objects.bulk_create(
        [
            RawInbound(
                network=i.mention.network,
                external_id=i.mention.external_id,
                payload=i.raw if i.raw is not None else i.mention.model_dump(mode="json"),
                source=source,
            )
            for i in placed
        ]
    )
    authors: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for i in placed:
        a = i.mention.author
        authors[i.mention.network].append((a.handle, a.display_name, a.profile_url))
    handles = {network: do_ensure_handles(network, found) for network, found in authors.items()}
    mentions = Mention.objects.bulk_create(
        [
            Mention(
                raw=raw,
                network=i.mention.network,
                external_id=i.mention.external_id,
                author=handles[i.mention.network][handle_key(i.mention.network, i.mention.author.handle)],
                direction=i.mention.direction,
                text=i.mention.text,
                url=i.mention.url or "",
                created_at=i.mention.created_at,
                in_reply_to=i.mention.in_reply_to or "",
                case_id=case_at[position],
            )
            for position, i, raw in zip(sorted(case_at), placed, raws, strict=True)
        ]
    )
    for mention in mentions:
        honour_opt_out_asked(mention, now)
        emit(MentionReceived(mention_id=mention.pk, case_id=mention.case_id))
    hand_over_on_commit("understand", [m.pk for m in mentions])
    return {(m.network, m.external_id): Ingested(m.pk, m.case_id, created=True) for m in mentions}


def do_ingest_mentions(items: Sequence[Incoming], source: str = "api") -> list[Ingested]:
    """Idempotent like do_ingest_mention, for many at once (at most MAX_BATCH); the same post twice
    in one batch is stored once. Every payload is checked before anything is stored, and all is
    stored in one transaction: a failure leaves nothing half-stored."""
    for number, item in enumerate(items):
        check_raw(item.raw, f"mentions.{number}")
    with transaction.atomic():
        return _ingest(items, source)


def _ingest(items: Sequence[Incoming], source: str) -> list[Ingested]:
    results = _stored({item.key for item in items})
    first_of: dict[Key, Incoming] = {}
    for item in items:
        if item.key not in results:
            first_of.setdefault(item.key, item)
    fresh = list(first_of.values())
    plan = plan_batch([i.mention for i in fresh], *_placing(fresh))
    if plan.placed:
        try:
            with transaction.atomic():  # a savepoint: its failure leaves the rest to go on
                results.update(_insert_planned(fresh, plan, source))
        except IntegrityError:
            pass  # another ingest stored one of them meanwhile: the one-by-one path sorts it out
    answers = []
    for item in items:
        found = results.get(item.key) or do_ingest_mention(item.mention, source, item.raw)
        answers.append(found)
        # The same post again later in this batch is a duplicate.
        results[item.key] = Ingested(found.mention_id, found.case_id, created=False)
    return answers
