"""The connector runner with a scripted connector: cursor resume, rejected payloads, back-off,
permanent stops, claims, and publishing an approved answer in its thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sablier.connectors.actions import claim_due, do_add_connector, do_pause_connector, do_poll_connector
from sablier.connectors.base import (
    Config,
    ConnectorError,
    Cursor,
    Fetched,
    Page,
    Published,
    RateLimited,
    ReplyTarget,
    Setting,
)
from sablier.connectors.models import ConnectorAccount, ConnectorLog, Publication
from sablier.connectors.publishing import publish_due
from sablier.connectors.registry import register
from sablier.errors import FieldError, ValidationFailed
from sablier.listen.mention_input import check_mention
from sablier.listen.models import Mention
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, approve_pending

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _post(number: int, text: str = "", reply_to: str | None = None) -> dict[str, Any]:
    return {
        "network": "mastodon",
        "external_id": f"scripted-{number}",
        "author": {"handle": "@client@example.social"},
        "text": text or f"My card {number} was refused at the counter, please help",
        "created_at": "2026-11-27T11:00:00Z",
        "in_reply_to": reply_to,
    }


@dataclass
class Scripted:
    """A network whose timeline is a list; the cursor is the index of the next post."""

    kind: str = "scripted"
    network: str = "mastodon"
    settings: tuple[Setting, ...] = (Setting("token", "the access token", secret=True),)
    poll_seconds: int = 60
    timeline: list[dict[str, Any]] = field(default_factory=list)
    failure: ConnectorError | None = None
    replies: list[tuple[str, ReplyTarget]] = field(default_factory=list)

    def check_config(self, config: Config) -> list[FieldError]:
        return [] if str(config["token"]).startswith("tok-") else [FieldError("token", "starts with tok-")]

    def fetch(self, config: Config, cursor: Cursor) -> Page:
        if self.failure is not None:
            raise self.failure
        start = int(cursor.get("next", 0))
        items = []
        for raw in self.timeline[start : start + 2]:
            try:
                items.append(Fetched(raw, check_mention(raw)))
            except ValidationFailed as exc:
                items.append(Fetched(raw, rejected=exc.errors[0].field + ": " + exc.errors[0].message))
        end = start + len(items)
        return Page(items, {"next": end}, more=end < len(self.timeline))

    def reply(self, config: Config, text: str, target: ReplyTarget) -> Published:
        if self.failure is not None:
            raise self.failure
        self.replies.append((text, target))
        return Published(f"answer-{len(self.replies)}", f"https://example.social/@bank/{len(self.replies)}")

    def post(self, config: Config, text: str) -> Published:
        return self.reply(config, text, ReplyTarget("", "", ""))


def _answer(api: ApiClient, external_id: str) -> int:
    """Draft, approve and answer the case of the given post; returns the case id."""
    case_id = Mention.objects.get(external_id=external_id).case_id
    api.post(f"/api/cases/{case_id}/drafts", {"text": "We are sorry, an advisor calls you today."})
    api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    approve_pending(api, case_id)
    assert api.post(f"/api/cases/{case_id}/transition", {"state": "answered"}).status_code == 200
    return case_id


@pytest.fixture
def scripted() -> Scripted:
    connector = Scripted()
    register(connector)
    return connector


@pytest.fixture
def account(scripted: Scripted, organisation: None) -> ConnectorAccount:
    return do_add_connector("scripted", "bank-social", {"token": "tok-123"}, now=NOW)


def test_it_names_the_bad_setting() -> None:
    with pytest.raises(ValidationFailed) as bad:
        register(Scripted())
        do_add_connector("scripted", "other", {"token": "nope", "colour": "red"})
    assert sorted(e.field for e in bad.value.errors) == ["config.colour"]
    with pytest.raises(ValidationFailed) as wrong:
        do_add_connector("scripted", "other", {"token": "nope"})
    assert [e.field for e in wrong.value.errors] == ["config.token"]


def test_it_resumes_from_the_saved_cursor_without_losing_or_doubling(
    scripted: Scripted, account: ConnectorAccount
) -> None:
    scripted.timeline = [_post(n) for n in range(3)]
    assert do_poll_connector(account, NOW) == 2
    restarted = ConnectorAccount.objects.get(pk=account.pk)  # a new process reads the cursor back
    assert restarted.cursor == {"next": 2} and restarted.next_poll_at == NOW  # more was waiting
    assert do_poll_connector(restarted, NOW) == 1
    assert do_poll_connector(ConnectorAccount.objects.get(pk=account.pk), NOW) == 0
    assert Mention.objects.count() == 3


def test_it_logs_a_malformed_payload_and_goes_on(scripted: Scripted, account: ConnectorAccount) -> None:
    scripted.timeline = [{**_post(1), "text": ""}, _post(2)]
    assert do_poll_connector(account, NOW) == 1
    entry = ConnectorLog.objects.get(account=account)
    assert (
        entry.level == "warning"
        and "text" in entry.message
        and entry.detail["raw"]["external_id"] == "scripted-1"
    )


def test_it_backs_off_on_transient_failures_and_honours_the_reset(
    scripted: Scripted, account: ConnectorAccount
) -> None:
    scripted.failure = ConnectorError("connection reset", transient=True)
    do_poll_connector(account, NOW)
    first = ConnectorAccount.objects.get(pk=account.pk)
    assert (first.status, first.last_error, first.next_poll_at) == (
        "error",
        "connection reset",
        NOW + timedelta(seconds=30),
    )
    do_poll_connector(first, NOW)
    assert ConnectorAccount.objects.get(pk=account.pk).next_poll_at == NOW + timedelta(seconds=60)
    scripted.failure = RateLimited("429 Too Many Requests", retry_at=NOW + timedelta(minutes=15))
    do_poll_connector(first, NOW)
    assert ConnectorAccount.objects.get(pk=account.pk).next_poll_at == NOW + timedelta(minutes=15)


def test_it_stops_on_a_permanent_failure_until_resumed(scripted: Scripted, account: ConnectorAccount) -> None:
    scripted.failure = ConnectorError("401 the access token was revoked", transient=False)
    do_poll_connector(account, NOW)
    stopped = ConnectorAccount.objects.get(pk=account.pk)
    assert stopped.next_poll_at is None and claim_due(NOW + timedelta(days=1)) == []
    do_pause_connector(stopped, paused=False, now=NOW)
    assert [a.name for a in claim_due(NOW)] == ["bank-social"]


def test_it_lets_one_worker_claim_a_connector(account: ConnectorAccount) -> None:
    assert len(claim_due(NOW)) == 1
    assert claim_due(NOW) == []


def test_it_publishes_the_approved_answer_in_the_thread_it_heard(
    scripted: Scripted, account: ConnectorAccount, api: ApiClient
) -> None:
    scripted.timeline = [_post(1), _post(2, "Still nothing, my card is blocked", reply_to="scripted-1")]
    do_poll_connector(account, NOW)
    run_single_cycle()
    case_id = _answer(api, "scripted-2")
    assert publish_due() == 1
    text, target = scripted.replies[0]
    assert text == "We are sorry, an advisor calls you today."
    assert (target.external_id, target.root_id, target.author_handle) == (
        "scripted-2",
        "scripted-1",
        "@client@example.social",
    )
    answer = Mention.objects.get(external_id="answer-1")
    assert (answer.direction, answer.case_id, answer.in_reply_to) == ("outbound", case_id, "scripted-2")
    assert Publication.objects.get(case_id=case_id).state == "sent"


def test_it_retries_a_failed_publication_and_leaves_unknown_networks_to_a_person(
    scripted: Scripted, account: ConnectorAccount, api: ApiClient
) -> None:
    scripted.timeline = [_post(1)]
    do_poll_connector(account, NOW)
    run_single_cycle()
    case_id = _answer(api, "scripted-1")
    scripted.failure = ConnectorError("503 Service Unavailable", transient=True)
    assert publish_due() == 0
    waiting = Publication.objects.get(case_id=case_id)
    assert (waiting.state, waiting.attempts, waiting.last_error) == ("pending", 1, "503 Service Unavailable")
    ConnectorAccount.objects.update(paused=True)
    bluesky = api.post("/api/mentions", {**_post(9), "network": "bluesky"}).json()["case_id"]
    run_single_cycle()
    api.post(f"/api/cases/{bluesky}/drafts", {"text": "We are sorry, an advisor calls you today."})
    api.post(f"/api/cases/{bluesky}/transition", {"state": "awaiting_approval"})
    approve_pending(api, bluesky)
    api.post(f"/api/cases/{bluesky}/transition", {"state": "answered"})
    assert Publication.objects.get(case_id=bluesky).state == "manual"


def test_it_shows_each_connectors_health(
    scripted: Scripted, account: ConnectorAccount, api: ApiClient
) -> None:
    scripted.failure = ConnectorError("401 the access token was revoked", transient=False)
    do_poll_connector(account, NOW)
    listed = api.get("/api/connectors").json()
    assert [(c["name"], c["status"], c["last_error"]) for c in listed] == [
        ("bank-social", "error", "401 the access token was revoked")
    ]
    assert api.get("/api/connectors/bank-social/log").json()[0]["level"] == "error"


def test_it_leaves_a_publication_interrupted_while_sending_to_a_person(
    scripted: Scripted, account: ConnectorAccount, api: ApiClient
) -> None:
    scripted.timeline = [_post(1)]
    do_poll_connector(account, NOW)
    run_single_cycle()
    case_id = _answer(api, "scripted-1")
    Publication.objects.update(state=Publication.SENDING, next_attempt_at=NOW)  # a worker died mid-send
    assert publish_due(NOW + timedelta(minutes=5)) == 0
    stuck = Publication.objects.get(case_id=case_id)
    assert stuck.state == "manual" and "check on the network" in stuck.last_error and scripted.replies == []
