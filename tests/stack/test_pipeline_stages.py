"""Pipeline stages claim work with leases, find the poison item in a batch, keep dead letters for a
person to retry, and ingest pushes back with 429 past its bound without losing what it accepted."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client
from django.utils import timezone

from sablier.cases.models import Case
from sablier.listen.models import Mention
from sablier.pipeline import backpressure
from sablier.pipeline.claims import LEASE, claim
from sablier.pipeline.consumer import run_stage
from sablier.pipeline.failures import MAX_ATTEMPTS, backoff
from sablier.pipeline.models import StageFailure
from sablier.pipeline.waiting import UNREAD
from sablier.understand.reading import Reading
from sablier.workers import triage
from sablier.workers.cycle import run_single_cycle
from sablier.workers.stages import ROUTE, UNDERSTAND
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db
POISON = "this message breaks the reader"


def _post(api: ApiClient, count: int, **overrides: Any) -> list[int]:
    return [api.post("/api/mentions", mention_payload(**overrides)).json()["id"] for _ in range(count)]


@pytest.fixture
def poisoned_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    real = triage.read_many

    def read_many(texts: list[str], **kwargs: Any) -> list[Reading]:
        if POISON in texts:
            raise ValueError("the reader choked")
        return real(texts, **kwargs)

    monkeypatch.setattr(triage, "read_many", read_many)


def test_it_leases_each_item_to_one_worker(api: ApiClient) -> None:
    ids = _post(api, 10)
    now = timezone.now()
    first = claim("understand", UNREAD, "worker-a", 6, now)
    second = claim("understand", UNREAD, "worker-b", 10, now)
    assert first == ids[:6] and second == ids[6:]
    assert claim("understand", UNREAD, "worker-c", 10, now) == []


def test_it_lets_another_worker_take_over_an_expired_lease(api: ApiClient) -> None:
    ids = _post(api, 3)
    now = timezone.now()
    assert claim("understand", UNREAD, "killed-worker", 10, now) == ids
    assert claim("understand", UNREAD, "survivor", 10, now + LEASE - timedelta(seconds=1)) == []
    assert claim("understand", UNREAD, "survivor", 10, now + LEASE + timedelta(seconds=1)) == ids


def test_it_reads_the_rest_of_a_batch_around_a_poison_item(api: ApiClient, poisoned_reader: None) -> None:
    good = _post(api, 2)
    bad = _post(api, 1, text=POISON)[0]
    outcome = run_stage(UNDERSTAND, 10, timezone.now())
    assert sorted(outcome.done) == good and list(outcome.failed) == [bad]
    failure = StageFailure.objects.get(stage="understand", item_id=bad)
    assert failure.attempts == 1 and "the reader choked" in failure.error and not failure.dead
    assert Mention.objects.get(pk=bad).claimed_until is None


def test_it_backs_off_then_keeps_a_dead_letter(api: ApiClient, poisoned_reader: None) -> None:
    bad = _post(api, 1, text=POISON)[0]
    now = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert list(run_stage(UNDERSTAND, 10, now).failed) == [bad]
        assert not run_stage(UNDERSTAND, 10, now).claimed  # backing off
        now += backoff(attempt) + timedelta(seconds=1)
    assert StageFailure.objects.get(item_id=bad).dead
    assert not run_stage(UNDERSTAND, 10, now + timedelta(days=1)).claimed
    status = api.get("/api/pipeline").json()
    assert status["stages"]["understand"] == {"waiting": 1, "retrying": 0, "dead": 1}
    assert [(d["item_id"], d["attempts"]) for d in status["dead_letters"]] == [(bad, MAX_ATTEMPTS)]


def test_it_retries_a_dead_letter_from_the_pipeline_page(
    api: ApiClient, admin: Any, poisoned_reader: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = _post(api, 1, text=POISON)[0]
    StageFailure.objects.create(
        stage="understand",
        item_id=bad,
        attempts=MAX_ATTEMPTS,
        error="ValueError: the reader choked",
        dead=True,
        retry_at=timezone.now(),
        first_failed_at=timezone.now(),
        last_failed_at=timezone.now(),
    )
    browser = Client()
    browser.force_login(admin)
    page = browser.get("/pipeline/").content.decode()
    assert "the reader choked" in page and f'data-dead-letter="{StageFailure.objects.get().pk}"' in page
    monkeypatch.undo()  # the reader is mended
    response = browser.post(f"/pipeline/dead-letters/{StageFailure.objects.get().pk}/retry")
    assert response.status_code == 302 and not StageFailure.objects.exists()
    run_single_cycle()
    assert Mention.objects.get(pk=bad).reading is not None


def test_it_hides_the_pipeline_from_departments(marketing_api: ApiClient) -> None:
    assert marketing_api.get("/api/pipeline").status_code == 403


def test_it_routes_cases_behind_ones_that_wait_for_an_inbound_message(api: ApiClient) -> None:
    for _ in range(3):
        api.post("/api/mentions", mention_payload(direction="outbound", text="Our opening hours change."))
    ours = set(Case.objects.values_list("pk", flat=True))
    theirs = api.post("/api/mentions", mention_payload())
    for _ in range(4):
        run_single_cycle(limit=2)  # the route stage takes 2 cases at a time
    assert Case.objects.get(pk=theirs.json()["case_id"]).state != "new"
    assert set(Case.objects.filter(state="new").values_list("pk", flat=True)) == ours
    assert not run_stage(ROUTE, 10, timezone.now()).claimed


def test_it_answers_429_past_the_bound_and_keeps_what_it_accepted(
    api: ApiClient, settings: LazySettings
) -> None:
    settings.SABLIER = replace(settings.SABLIER, ingest_bound=3)
    backpressure.forget_count()
    accepted = _post(api, 3)
    backpressure.forget_count()
    refused = api.post("/api/mentions", mention_payload())
    assert refused.status_code == 429 and refused["Retry-After"] == str(backpressure.RETRY_AFTER_SECONDS)
    assert refused.json()["code"] == "overloaded" and refused.json()["errors"][0]["field"] == "body"
    assert sorted(Mention.objects.values_list("pk", flat=True)) == accepted
    run_single_cycle()
    backpressure.forget_count()
    assert api.post("/api/mentions", mention_payload()).status_code == 201
