"""do_ingest_mention(): store the raw payload behind its idempotency key, thread it into a case."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from sablier.bus import emit
from sablier.cases import states
from sablier.cases.actions import do_transition_case
from sablier.cases.models import Case
from sablier.events import MentionReceived
from sablier.listen.mention_input import MentionIn
from sablier.listen.models import Author, Mention, RawInbound

REOPENING_STATES = (states.ANSWERED, states.CLOSED)


@dataclass(frozen=True)
class Ingested:
    mention_id: int
    case_id: int
    created: bool


def _author(item: MentionIn) -> Author:
    author, created = Author.objects.get_or_create(
        network=item.network,
        handle=item.author.handle,
        defaults={"display_name": item.author.display_name, "profile_url": item.author.profile_url},
    )
    changed = {k: v for k, v in item.author.model_dump().items() if v and getattr(author, k) != v}
    if not created and changed:
        Author.objects.filter(pk=author.pk).update(**changed)
    return author


def _conversation(item: MentionIn) -> Case | None:
    """The case of the parent post, or of replies that arrived before this post."""
    if item.in_reply_to:
        parent = Mention.objects.filter(network=item.network, external_id=item.in_reply_to).first()
        if parent is not None:
            return parent.case
    early_reply = Mention.objects.filter(network=item.network, in_reply_to=item.external_id).first()
    return early_reply.case if early_reply is not None else None


def _existing(item: MentionIn) -> Ingested:
    mention = Mention.objects.get(network=item.network, external_id=item.external_id)
    return Ingested(mention.pk, mention.case_id, created=False)


def _store(item: MentionIn, source: str) -> Ingested:
    raw = RawInbound.objects.create(
        network=item.network,
        external_id=item.external_id,
        payload=item.model_dump(mode="json"),
        source=source,
    )
    case = _conversation(item)
    if case is None:
        case = Case.objects.create(last_message_at=item.created_at)
    elif item.created_at > case.last_message_at:
        case.last_message_at = item.created_at
        case.save(update_fields=["last_message_at", "updated_at"])
    mention = Mention.objects.create(
        raw=raw,
        network=item.network,
        external_id=item.external_id,
        author=_author(item),
        direction=item.direction,
        text=item.text,
        url=item.url or "",
        created_at=item.created_at,
        in_reply_to=item.in_reply_to or "",
        case=case,
    )
    if case.state in REOPENING_STATES and item.direction == "inbound":
        do_transition_case(case, states.REOPENED, None, "reopened", {"mention_id": mention.pk})
    emit(MentionReceived(mention_id=mention.pk, case_id=case.pk))
    return Ingested(mention.pk, case.pk, created=True)


def do_ingest_mention(item: MentionIn, source: str = "api") -> Ingested:
    """Idempotent: the same (network, external id) twice is one mention."""
    if RawInbound.objects.filter(network=item.network, external_id=item.external_id).exists():
        return _existing(item)
    try:
        with transaction.atomic():
            return _store(item, source)
    except IntegrityError:
        # Another request stored the same post between our check and our insert.
        return _existing(item)
