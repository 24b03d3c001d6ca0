"""The NATS path against the real server (.ci/run sets SABLIER_TEST_NATS_URL): JetStream work
messages are redelivered until acked, events reach every process, the stages run through the
queue, and a dead letter is published on its subject. Each test has subjects and streams of its own."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from sablier.bus import install
from sablier.bus.nats import JetStreamQueue, NatsBus, NatsLink
from sablier.cases.models import Case
from sablier.errors import ConfigurationError
from sablier.listen.models import Mention
from sablier.pipeline.failures import MAX_ATTEMPTS
from sablier.pipeline.models import StageFailure
from sablier.pipeline.stage import Stage
from sablier.understand.reading import Reading
from sablier.workers import triage
from sablier.workers.consume import consume_once
from sablier.workers.stages import ROUTE, UNDERSTAND
from tests.conftest import ApiClient, mention_payload
from tests.peers.nats import required, shared_url, unique_prefix

pytestmark = pytest.mark.django_db(transaction=True)


def _connect() -> NatsLink:
    try:
        return NatsLink(shared_url())
    except ConfigurationError as exc:
        required(str(exc))
        raise


def _eventually(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def _drain(stage: Stage, queue: JetStreamQueue) -> int:
    done = 0
    while moved := consume_once(stage, queue, wait=2.0):
        done += moved
    return done


@pytest.fixture
def link() -> Iterator[NatsLink]:
    link = _connect()
    yield link
    link.close()


@pytest.fixture
def queue(link: NatsLink) -> Iterator[JetStreamQueue]:
    queue = JetStreamQueue(link, unique_prefix(), ack_wait=1.0)
    yield queue
    for stream in (queue.work_stream, queue.dead_stream):
        link.call(link.js.delete_stream(stream))


@pytest.fixture
def through_nats(link: NatsLink, queue: JetStreamQueue) -> Iterator[JetStreamQueue]:
    previous = install(NatsBus(link, queue.prefix), queue)
    yield queue
    install(*previous)


def test_it_redelivers_a_message_until_it_is_acked(queue: JetStreamQueue) -> None:
    queue.put("understand", [1, 2, 3])
    [first] = queue.take("understand", 10, 2.0)
    assert first.ids == (1, 2, 3) and first.deliveries == 1
    first.retry(0.1)
    [again] = queue.take("understand", 10, 3.0)
    assert again.ids == (1, 2, 3) and again.deliveries == 2
    again.ack()
    assert queue.take("understand", 10, 1.5) == []


def test_it_gives_back_what_a_worker_took_and_never_acked(queue: JetStreamQueue) -> None:
    queue.put("route", [7])
    assert [d.ids for d in queue.take("route", 10, 2.0)] == [(7,)]  # the worker dies here
    [back] = queue.take("route", 10, 4.0)
    assert back.ids == (7,) and back.deliveries == 2
    back.ack()


def test_it_fans_events_out_to_every_process(link: NatsLink) -> None:
    prefix, other = unique_prefix(), _connect()
    try:
        web_a, web_b = NatsBus(link, prefix), NatsBus(other, prefix)
        seen_by_b: list[dict[str, Any]] = []
        web_b.subscribe(seen_by_b.append)
        time.sleep(0.2)  # the subscription reaches the server
        web_a.publish({"name": "case.routed", "case_id": 1, "departments": ["mortgages"]})
        assert _eventually(
            lambda: seen_by_b == [{"name": "case.routed", "case_id": 1, "departments": ["mortgages"]}]
        )
    finally:
        other.close()


def test_it_runs_the_stages_through_jetstream(api: ApiClient, through_nats: JetStreamQueue) -> None:
    cases = [api.post("/api/mentions", mention_payload()).json()["case_id"] for _ in range(5)]
    assert _drain(UNDERSTAND, through_nats) == 5  # a fetch may bring part of what is there
    assert Mention.objects.filter(reading__isnull=True).count() == 0
    assert _drain(ROUTE, through_nats) == 5
    assert set(Case.objects.filter(pk__in=cases).values_list("state", flat=True)) - {"new"}
    assert not Case.objects.filter(pk__in=cases, state="new").exists()
    assert through_nats.take("understand", 10, 1.5) == []  # acked, not redelivered


def test_it_publishes_a_dead_letter_on_its_subject(
    api: ApiClient, through_nats: JetStreamQueue, link: NatsLink, monkeypatch: pytest.MonkeyPatch
) -> None:
    def choke(texts: list[str], **kwargs: Any) -> list[Reading]:
        raise ValueError("the reader choked")

    monkeypatch.setattr(triage, "read_many", choke)
    mention = api.post("/api/mentions", mention_payload()).json()["id"]
    now = timezone.now()
    StageFailure.objects.create(
        stage="understand",
        item_id=mention,
        attempts=MAX_ATTEMPTS - 1,
        error="earlier",
        retry_at=now,
        first_failed_at=now,
        last_failed_at=now,
    )
    consume_once(UNDERSTAND, through_nats, wait=3.0)
    assert StageFailure.objects.get(item_id=mention).dead
    last = link.call(link.js.get_last_msg(through_nats.dead_stream, f"{through_nats.prefix}.dead.understand"))
    assert b"the reader choked" in last.data and str(mention).encode() in last.data
    assert through_nats.take("understand", 10, 1.5) == []  # the dead item's message was acked
