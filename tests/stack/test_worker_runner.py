"""The embedded worker (one machine, no broker): the slow second pass never holds a new case back."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest

from sablier.cases.models import Case
from sablier.cases.states import NEW
from sablier.listen.actions import do_ingest_mention
from sablier.listen.mention_input import check_mention
from sablier.pipeline.stage import Moved, Stage
from sablier.pipeline.waiting import UNREFINED
from sablier.workers import runner
from tests.conftest import mention_payload

pytestmark = pytest.mark.django_db(transaction=True)


def _until(check: Any, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_a_case_is_routed_while_the_second_pass_is_still_busy(
    organisation: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    refining, release = threading.Event(), threading.Event()

    def slow_refine(ids: Sequence[int]) -> Moved:
        refining.set()
        release.wait(60)
        return Moved()  # nothing refined: the loop asks again until the worker stops

    monkeypatch.setattr(runner, "REFINE", Stage("refine", UNREFINED, slow_refine))
    worker = runner.Worker(idle_seconds=0.2)
    thread = worker.start_in_thread()
    try:
        first = do_ingest_mention(check_mention(mention_payload(text="My card was charged twice")))
        assert _until(refining.is_set), "the second pass never started"
        second = do_ingest_mention(check_mention(mention_payload(text="The app logs me out")))
        routed = _until(lambda: Case.objects.get(pk=second.case_id).state != NEW, 60)
        states = [Case.objects.get(pk=r.case_id).state for r in (first, second)]
        assert routed, f"the new case waited for the second pass: {states}"
        assert NEW not in states
    finally:
        release.set()
        worker.stop()
        thread.join(60)
    assert not thread.is_alive()
