"""/api/mentions: the ingest door for clients and scripts."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from sablier.api.schemas import MentionAccepted
from sablier.listen.actions import do_ingest_mention
from sablier.listen.mention_input import MentionIn

router = Router(tags=["mentions"])


@router.post("", response={200: MentionAccepted, 201: MentionAccepted})
def post_mention(request: HttpRequest, payload: MentionIn) -> Status[MentionAccepted]:
    """Store a public message. The same (network, external_id) again answers 200 with the same ids."""
    result = do_ingest_mention(payload, source="api")
    body = MentionAccepted(id=result.mention_id, case_id=result.case_id, duplicate=not result.created)
    return Status(201 if result.created else 200, body)
