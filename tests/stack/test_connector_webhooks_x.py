"""X / Twitter Account Activity API webhooks: the CRC challenge, signed deliveries in the documented
formats turned into cases, refusals, replays, malformed payloads, and answers through the X API v2
at a local receiver, with its rate limits."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from sablier.cli import main
from sablier.connectors.base import ConnectorError, RateLimited, ReplyTarget
from sablier.connectors.models import ConnectorLog, Publication
from sablier.connectors.registry import connector_type
from sablier.errors import ValidationFailed
from sablier.listen.models import Mention, RawInbound
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, approve_pending
from tests.receiver import Receiver
from tests.stack.webhook_support import X_SECRET, add_x, fixture, post_x

pytestmark = pytest.mark.django_db
TWEETS, MESSAGES = "x_tweet_create_events.json", "x_direct_message_events.json"


def test_it_answers_the_crc_challenge_exactly(organisation: None) -> None:
    add_x()
    answer = Client().get("/api/inbound/x-main", {"crc_token": "challenge-token-123"})
    digest = hmac.new(X_SECRET.encode(), b"challenge-token-123", hashlib.sha256).digest()
    assert answer.status_code == 200
    assert answer.json() == {"response_token": "sha256=" + base64.b64encode(digest).decode()}


def test_it_turns_signed_deliveries_into_cases(organisation: None) -> None:
    add_x()
    assert post_x(fixture(TWEETS)).json() | {"delivery": ""} == {
        "ok": True,
        "delivery": "",
        "stored": 1,
        "rejected": 1,
        "replay": False,
    }
    assert post_x(fixture(MESSAGES)).json()["stored"] == 1
    run_single_cycle()
    tweet = Mention.objects.get(external_id="1861724500000000001")
    assert tweet.in_reply_to == "1861700000000000000" and tweet.author.handle == "@camille_d"
    assert tweet.case.department and Mention.objects.get(external_id="dm:1861730000000000009").case_id
    assert not Mention.objects.filter(external_id="1861724500000000002").exists()  # our own answer


def test_it_refuses_a_wrong_signature_and_stores_nothing(organisation: None) -> None:
    add_x()
    answer = post_x(fixture(TWEETS), secret="not-the-secret")
    assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"
    assert answer.json()["errors"][0]["field"] == "x-twitter-webhooks-signature"
    assert RawInbound.objects.count() == 0 and ConnectorLog.objects.count() == 0


def test_it_stores_a_replayed_delivery_once(organisation: None) -> None:
    add_x()
    post_x(fixture(TWEETS))
    assert post_x(fixture(TWEETS)).json()["replay"] is True
    assert RawInbound.objects.count() == 1 and ConnectorLog.objects.count() == 1


def test_it_logs_a_malformed_delivery_with_the_reason(organisation: None) -> None:
    add_x()
    answer = post_x(b'{"for_user_id": "2244994945", "tweet_create_events": {"id": 1}}')
    assert answer.status_code == 400 and "not a list" in answer.json()["error"]
    assert "tweet_create_events is a dict, not a list" in ConnectorLog.objects.get().message
    assert post_x(b"{not json").status_code == 400 and RawInbound.objects.count() == 0


def test_it_names_each_bad_setting_at_add(organisation: None) -> None:
    with pytest.raises(ValidationFailed) as caught:
        add_x(api_base="ftp://nowhere")
    fields = {e.field for e in caught.value.errors}
    assert fields == {"config.api_base"}


def _target(external_id: str, parent: dict[str, object]) -> ReplyTarget:
    return ReplyTarget(external_id, external_id, "@camille_d", extra={"parent": parent})


def test_it_replies_in_thread_through_the_x_api(
    organisation: None, receiver: Receiver, allowed: None
) -> None:
    account = add_x(api_base=receiver.url.removesuffix("/hook"))
    receiver.answer(201, {"Content-Type": "application/json"}, b'{"data": {"id": "1861799", "text": "x"}}')
    done = connector_type("x").reply(account.config, "We are on it.", _target("1861724500000000001", {}))
    sent = receiver.requests[0]
    assert sent["path"] == "/2/tweets" and sent["headers"]["Authorization"] == "Bearer x-user-token-1"
    assert json.loads(sent["body"]) == {
        "text": "We are on it.",
        "reply": {"in_reply_to_tweet_id": "1861724500000000001"},
    }
    assert done.external_id == "1861799" and done.url == "https://x.com/banque_sablier/status/1861799"


def test_it_answers_a_direct_message_in_its_conversation(
    organisation: None, receiver: Receiver, allowed: None
) -> None:
    account = add_x(api_base=receiver.url.removesuffix("/hook"))
    receiver.answer(201, {}, b'{"data": {"dm_conversation_id": "1-2", "dm_event_id": "555"}}')
    parent = json.loads(fixture(MESSAGES))["direct_message_events"][0]
    done = connector_type("x").reply(account.config, "Calling you now.", _target("dm:186173", parent))
    assert receiver.requests[0]["path"] == "/2/dm_conversations/with/9981001/messages"
    assert done.external_id == "dm:555"


def test_it_waits_for_the_rate_limit_reset(organisation: None, receiver: Receiver, allowed: None) -> None:
    account = add_x(api_base=receiver.url.removesuffix("/hook"))
    receiver.answer(429, {"x-rate-limit-reset": "1900000000", "x-rate-limit-remaining": "0"})
    with pytest.raises(RateLimited) as caught:
        connector_type("x").reply(account.config, "Hello", _target("1861724500000000001", {}))
    assert caught.value.retry_at == datetime.fromtimestamp(1900000000, UTC)


@pytest.mark.parametrize(("status", "transient"), [(401, False), (403, False), (503, True)])
def test_it_tells_permanent_from_transient_failures(
    organisation: None, receiver: Receiver, allowed: None, status: int, transient: bool
) -> None:
    account = add_x(api_base=receiver.url.removesuffix("/hook"))
    receiver.answer(status)
    with pytest.raises(ConnectorError) as caught:
        connector_type("x").reply(account.config, "Hello", _target("1", {}))
    assert caught.value.transient is transient
    assert ("check the user_token setting" in str(caught.value)) is not transient


def test_it_publishes_the_approved_answer_to_the_tweet_heard(
    api: ApiClient, receiver: Receiver, allowed: None
) -> None:
    add_x(api_base=receiver.url.removesuffix("/hook"))
    post_x(fixture(TWEETS))
    run_single_cycle()
    case_id = Mention.objects.get(external_id="1861724500000000001").case_id
    api.post(f"/api/cases/{case_id}/drafts", {"text": "Sorry Camille, an advisor calls you today."})
    api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    approve_pending(api, case_id)
    assert api.post(f"/api/cases/{case_id}/transition", {"state": "answered"}).status_code == 200
    receiver.answer(201, {}, b'{"data": {"id": "1861799000000000001", "text": "Sorry"}}')
    run_single_cycle()
    body = json.loads(receiver.requests[0]["body"])
    assert body == {
        "text": "Sorry Camille, an advisor calls you today.",
        "reply": {"in_reply_to_tweet_id": "1861724500000000001"},
    }
    assert Publication.objects.get(case_id=case_id).external_id == "1861799000000000001"


def test_it_is_added_and_tested_from_the_cli(organisation: None, capsys: pytest.CaptureFixture[str]) -> None:
    settings = ["--set", f"consumer_secret={X_SECRET}", "--set", "user_id=2244994945"]
    assert main(["connectors", "add", "x", "x-cli", *settings, "--set", "user_token=tok-12345678"]) == 0
    assert "/api/inbound/x-cli" in capsys.readouterr().err
    assert main(["connectors", "test", "x-cli"]) == 0
    assert "pushes to /api/inbound/x-cli; last delivery none yet" in capsys.readouterr().out
