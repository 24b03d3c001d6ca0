"""The understand and route stages work on a batch at once (one transaction, a few queries for all)
and decide as they would one by one; a poison item still leaves the rest of its batch done."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sablier.cases import transitions
from sablier.cases.models import Case, CaseEvent
from sablier.crisis.counting import do_count_mentions
from sablier.crisis.models import TopicCount
from sablier.crisis.topics import Topic
from sablier.listen.models import Mention
from sablier.pipeline.consumer import run_stage
from sablier.pipeline.models import StageFailure
from sablier.sla.models import CaseClock
from sablier.understand.reader import read
from sablier.workers.stages import ROUTE, UNDERSTAND
from sablier.workers.triage import read_mentions
from tests.conftest import ApiClient, mention_payload, triaged_case

pytestmark = pytest.mark.django_db
HURRIED = "My card is blocked, I need it urgently please help"
THREAT = "If I don't get my money back today I will come to the branch with a gun"


def _posted(api: ApiClient, count: int, **overrides: Any) -> list[int]:
    """Case ids of `count` new conversations."""
    return [api.post("/api/mentions", mention_payload(**overrides)).json()["case_id"] for _ in range(count)]


def test_it_raises_an_open_case_for_each_more_urgent_message_of_a_batch(api: ApiClient) -> None:
    case_id = triaged_case(api)
    opening = Mention.objects.get(case_id=case_id).external_id
    for text in (HURRIED, THREAT):
        api.post("/api/mentions", mention_payload(text=text, in_reply_to=opening))
    fresh = _posted(api, 1, text=THREAT)[0]
    run_stage(UNDERSTAND, 10, timezone.now())
    case = Case.objects.get(pk=case_id)
    assert case.urgency == "critical"
    raised = [*read(HURRIED).urgency.reasons, *read(THREAT).urgency.reasons]  # normal → high → critical
    assert case.reasons[-len(raised) :] == raised
    assert Case.objects.get(pk=fresh).urgency == ""  # a new case is the route stage's


def test_it_routes_the_rest_of_a_batch_around_a_poison_case(
    api: ApiClient,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
    received: list[dict[str, Any]],
) -> None:
    first, bad, last = _posted(api, 3)
    run_stage(UNDERSTAND, 10, timezone.now())
    real = transitions._lifecycle

    def lifecycle(case: Case, target: str) -> None:
        if case.pk == bad:
            raise RuntimeError("the clock broke")
        real(case, target)

    monkeypatch.setattr(transitions, "_lifecycle", lifecycle)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = run_stage(ROUTE, 10, timezone.now())
    assert sorted(outcome.done) == [first, last] and list(outcome.failed) == [bad]
    assert Case.objects.get(pk=bad).state == "new" and not CaseEvent.objects.filter(case_id=bad).exists()
    assert not CaseClock.objects.filter(case_id=bad).exists()
    assert StageFailure.objects.get(stage="route").item_id == bad
    for case_id in (first, last):
        verbs = list(CaseEvent.objects.filter(case_id=case_id).values_list("verb", flat=True))
        assert verbs[:2] == ["triaged", "routed"] and CaseClock.objects.filter(case_id=case_id).exists()
    routed = {e["case_id"] for e in received if e["name"] == "case.routed"}
    assert routed == {first, last}


def test_it_routes_a_batch_in_a_few_queries_per_case(api: ApiClient) -> None:
    cases = _posted(api, 12) + _posted(api, 12, text=HURRIED)
    run_stage(UNDERSTAND, 50, timezone.now())
    with CaptureQueriesContext(connection) as queries:
        outcome = run_stage(ROUTE, 50, timezone.now())
    assert sorted(outcome.done) == sorted(cases)
    # Routed one by one, a case took about 29; in a batch about 3 (the claim, the update, its holds).
    assert len(queries) <= 5 * len(cases) + 20, len(queries)


def test_it_reads_a_batch_in_a_few_statements(api: ApiClient) -> None:
    _posted(api, 20)
    ids = list(Mention.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        moved = read_mentions(ids)
    assert sorted(moved.done) == ids and not Mention.objects.filter(reading__isnull=True).exists()
    assert len(queries) <= 10, [q["sql"][:60] for q in queries.captured_queries]


def test_it_counts_up_to_the_first_unread_mention_and_adds_to_its_minute(api: ApiClient) -> None:
    _posted(api, 4)
    ids = sorted(Mention.objects.values_list("pk", flat=True))
    topics = (Topic("keyword:mortgage", frozenset({"mortgage"})),)
    read_mentions([ids[0], ids[1], ids[3]])
    assert do_count_mentions(topics) == 2
    assert TopicCount.objects.get(topic="keyword:mortgage").mentions == 2
    read_mentions([ids[2]])
    assert do_count_mentions(topics) == 2 and do_count_mentions(topics) == 0
    rows = {r.topic: (r.mentions, r.negative) for r in TopicCount.objects.all()}
    assert rows == {"keyword:mortgage": (4, 4), "intent:complaint": (4, 4)}
