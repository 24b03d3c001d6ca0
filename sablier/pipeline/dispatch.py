"""Handing items to a stage through the work queue, when there is one (NATS). Without one, stages
claim straight from the database and the in-process bus only wakes the worker."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction

from sablier.bus import get_work_queue


def hand_over(handed: Mapping[str, Sequence[int]]) -> None:
    queue = get_work_queue()
    if queue is None:
        return
    for stage, ids in handed.items():
        if ids:
            queue.put(stage, ids)


def hand_over_on_commit(stage: str, ids: Sequence[int]) -> None:
    transaction.on_commit(lambda: hand_over({stage: ids}), robust=True)
