"""/api/mentions: the ingest door for clients and scripts."""

from __future__ import annotations

import json

from django.http import HttpRequest
from ninja import Router, Status

from sablier.api.schemas import MentionAccepted
from sablier.cases.access import is_central
from sablier.errors import FieldError, NotAllowed
from sablier.listen.actions import do_ingest_mention
from sablier.listen.mention_input import MentionIn
from sablier.pipeline.backpressure import check_room

router = Router(tags=["mentions"])


@router.post("", response={200: MentionAccepted, 201: MentionAccepted})
def post_mention(request: HttpRequest, payload: MentionIn) -> Status[MentionAccepted]:
    """Store a public message. The same (network, external_id) again answers 200 with the same ids.
    Messages of the organisation itself (`direction: outbound`) are for the central team's tokens.
    Past SABLIER_INGEST_BOUND unread mentions: 429 with Retry-After, nothing stored."""
    if payload.direction == "outbound" and not is_central(request.user):
        raise NotAllowed(
            "only the central team records the organisation's own messages",
            [FieldError("direction", "use inbound")],
        )
    check_room()
    result = do_ingest_mention(payload, source="api", raw=json.loads(request.body))
    body = MentionAccepted(id=result.mention_id, case_id=result.case_id, duplicate=not result.created)
    return Status(201 if result.created else 200, body)
