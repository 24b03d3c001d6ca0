"""/api/pipeline: what each stage has waiting, and the dead letters with a retry (central team)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from sablier.cases.access import check_central
from sablier.pipeline.dead_letters import dead_letters, do_retry
from sablier.pipeline.models import StageFailure
from sablier.pipeline.waiting import waiting_counts

router = Router(tags=["pipeline"])


class StageOut(Schema):
    waiting: int
    retrying: int
    dead: int


class DeadLetterOut(Schema):
    id: int
    stage: str
    item_id: int
    attempts: int
    error: str
    first_failed_at: datetime
    last_failed_at: datetime


class PipelineOut(Schema):
    stages: dict[str, StageOut]
    dead_letters: list[DeadLetterOut]


def _letter(failure: StageFailure) -> dict[str, Any]:
    return {
        "id": failure.pk,
        "stage": failure.stage,
        "item_id": failure.item_id,
        "attempts": failure.attempts,
        "error": failure.error,
        "first_failed_at": failure.first_failed_at,
        "last_failed_at": failure.last_failed_at,
    }


@router.get("", response=PipelineOut)
def pipeline_status(request: HttpRequest) -> dict[str, Any]:
    check_central(request.user)
    return {"stages": waiting_counts(), "dead_letters": [_letter(f) for f in dead_letters()]}


@router.post("/dead-letters/{failure_id}/retry", response=DeadLetterOut)
def retry_dead_letter(request: HttpRequest, failure_id: int) -> dict[str, Any]:
    return _letter(do_retry(request.user, failure_id))
