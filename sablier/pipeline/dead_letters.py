"""Dead letters for the central team: what a stage gave up on, with the error, and a retry."""

from __future__ import annotations

from django.db import transaction

from sablier.cases.access import Viewer, check_central
from sablier.errors import NotFound
from sablier.pipeline.dispatch import hand_over_on_commit
from sablier.pipeline.models import StageFailure


def dead_letters(limit: int = 200) -> list[StageFailure]:
    return list(StageFailure.objects.filter(dead=True).order_by("-last_failed_at")[:limit])


def access_dead_letter(actor: Viewer, failure_id: int) -> StageFailure:
    check_central(actor)
    failure = StageFailure.objects.filter(pk=failure_id, dead=True).first()
    if failure is None:
        raise NotFound(f"no dead letter {failure_id}")
    return failure


def do_retry(actor: Viewer, failure_id: int) -> StageFailure:
    """The item waits for its stage again, with fresh attempts, and is queued at once."""
    with transaction.atomic():
        failure = access_dead_letter(actor, failure_id)
        failure.delete()
        hand_over_on_commit(failure.stage, [failure.item_id])
    return failure
