"""/api/mentions: the ingest door for clients and scripts, one mention or a batch."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from sablier.api.schemas import MentionAccepted, MentionsAccepted
from sablier.cases.access import is_central
from sablier.errors import FieldError, NotAllowed
from sablier.listen.actions import Ingested, do_ingest_mention
from sablier.listen.batch import MAX_BATCH, Incoming, do_ingest_mentions
from sablier.listen.mention_input import MentionIn
from sablier.pipeline.backpressure import check_room

router = Router(tags=["mentions"])


class MentionBatch(Schema):
    mentions: list[MentionIn] = Field(min_length=1, max_length=MAX_BATCH)


def _check_direction(request: HttpRequest, mentions: list[MentionIn], field: str) -> None:
    number = next((n for n, m in enumerate(mentions) if m.direction == "outbound"), None)
    if number is not None and not is_central(request.user):
        raise NotAllowed(
            "only the central team records the organisation's own messages",
            [FieldError(field.format(number=number), "use inbound")],
        )


def _accepted(result: Ingested) -> MentionAccepted:
    return MentionAccepted(id=result.mention_id, case_id=result.case_id, duplicate=not result.created)


@router.post("", response={200: MentionAccepted, 201: MentionAccepted})
def post_mention(request: HttpRequest, payload: MentionIn) -> Status[MentionAccepted]:
    """Store a public message. The same (network, external_id) again answers 200 with the same ids.
    Messages of the organisation itself (`direction: outbound`) are for the central team's tokens.
    Past SABLIER_INGEST_BOUND unread mentions: 429 with Retry-After, nothing stored."""
    _check_direction(request, [payload], "direction")
    check_room()
    result = do_ingest_mention(payload, source="api", raw=json.loads(request.body))
    return Status(201 if result.created else 200, _accepted(result))


@router.post("/batch", response={200: MentionsAccepted})
def post_mentions(request: HttpRequest, payload: MentionBatch) -> dict[str, Any]:
    """Store up to 1,000 public messages in one request, each as `POST /api/mentions` would (same
    answers, in the order sent; a post sent twice is stored once). Every mention is checked before
    any is stored: one invalid mention refuses the batch with a 422 naming `mentions.N.field`."""
    _check_direction(request, payload.mentions, "mentions.{number}.direction")
    check_room()
    raws = json.loads(request.body)["mentions"]
    results = do_ingest_mentions(
        [Incoming(m, raw) for m, raw in zip(payload.mentions, raws, strict=True)], source="api"
    )
    created = sum(r.created for r in results)
    return {
        "items": [_accepted(r) for r in results],
        "created": created,
        "duplicates": len(results) - created,
    }
