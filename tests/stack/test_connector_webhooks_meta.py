"""Meta Graph API webhooks (Facebook Pages, Instagram) and Google Business Profile reviews (Pub/Sub
push): handshakes, signed deliveries in the documented formats turned into cases, refusals,
replays, malformed payloads, and answers at a local receiver with each network's rate limits."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sablier.connectors.base import RateLimited, ReplyTarget
from sablier.connectors.models import ConnectorAccount, ConnectorLog
from sablier.connectors.registry import connector_type
from sablier.listen.models import Mention, RawInbound
from sablier.workers.cycle import run_single_cycle
from tests.receiver import Receiver
from tests.stack.webhook_support import (
    add_google,
    add_meta,
    fixture,
    post_google,
    post_meta,
    pubsub_push,
)

pytestmark = pytest.mark.django_db
PAGE, INSTAGRAM = "104555000000001", "17841400000000001"
JSON = {"Content-Type": "application/json"}


def _base(receiver: Receiver) -> str:
    return receiver.url.removesuffix("/hook")


def _target(external_id: str, parent: dict[str, object]) -> ReplyTarget:
    return ReplyTarget(external_id, external_id, "Camille D.", extra={"parent": parent})


def test_it_answers_meta_s_handshake(organisation: None) -> None:
    add_meta("facebook", "page_id", PAGE)
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": "verify-me-please"}
    answer = Client().get("/api/inbound/facebook-main", query)
    assert answer.status_code == 200 and answer.content == b"1158201444"
    wrong = Client().get("/api/inbound/facebook-main", {**query, "hub.verify_token": "guess"})
    assert wrong.status_code == 401 and wrong.json()["errors"][0]["field"] == "hub.verify_token"


def test_it_turns_a_page_delivery_into_cases(organisation: None) -> None:
    add_meta("facebook", "page_id", PAGE)
    assert post_meta("facebook-main", fixture("meta_page_feed.json")).json()["stored"] == 2
    run_single_cycle()
    comment = Mention.objects.get(network="facebook", external_id="200_3001")
    assert not comment.in_reply_to and comment.author.handle == "7001002003"
    assert comment.url == "https://www.facebook.com/banquesablier/posts/pfbid02x" and comment.case.department
    assert Mention.objects.get(external_id="m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM").text.startswith("My card")


def test_it_keeps_the_good_instagram_comment_and_logs_the_bad(organisation: None) -> None:
    add_meta("instagram", "ig_user_id", INSTAGRAM)
    answer = post_meta("instagram-main", fixture("meta_instagram_comments.json"))
    assert answer.status_code == 200 and answer.json()["stored"] == 1 and answer.json()["rejected"] == 1
    assert Mention.objects.get(network="instagram").author.handle == "@camille.d"
    assert "text" in ConnectorLog.objects.get(level="warning").message


def test_it_refuses_a_wrong_meta_signature_and_stores_nothing(organisation: None) -> None:
    add_meta("facebook", "page_id", PAGE)
    answer = post_meta("facebook-main", fixture("meta_page_feed.json"), secret="someone-else")
    assert answer.status_code == 401 and "x-hub-signature-256" in answer.json()["error"]
    assert RawInbound.objects.count() == 0


def test_it_stores_a_replayed_meta_delivery_once(organisation: None) -> None:
    add_meta("facebook", "page_id", PAGE)
    post_meta("facebook-main", fixture("meta_page_feed.json"))
    assert post_meta("facebook-main", fixture("meta_page_feed.json")).json()["replay"] is True
    assert RawInbound.objects.count() == 2


def test_it_logs_a_delivery_for_another_object(organisation: None) -> None:
    add_meta("facebook", "page_id", PAGE)
    answer = post_meta("facebook-main", fixture("meta_instagram_comments.json"))
    assert answer.status_code == 400 and "object is 'instagram'" in answer.json()["error"]
    assert "object is 'instagram'" in ConnectorLog.objects.get().message


def test_it_comments_under_the_facebook_post(organisation: None, receiver: Receiver, allowed: None) -> None:
    account = add_meta("facebook", "page_id", PAGE, graph_base=_base(receiver))
    receiver.answer(200, JSON, b'{"id": "200_3002"}')
    done = connector_type("facebook").reply(account.config, "We call you today.", _target("200_3001", {}))
    assert receiver.requests[0]["path"] == "/200_3001/comments"
    assert json.loads(receiver.requests[0]["body"]) == {"message": "We call you today."}
    assert done.external_id == "200_3002"


def test_it_replies_to_the_top_instagram_comment(
    organisation: None, receiver: Receiver, allowed: None
) -> None:
    account = add_meta("instagram", "ig_user_id", INSTAGRAM, graph_base=_base(receiver))
    receiver.answer(200, JSON, b'{"id": "17870000000000001"}')
    parent = {"field": "comments", "id": "1786580", "parent_id": "1786579"}
    connector_type("instagram").reply(account.config, "Sorry!", _target("1786580", parent))
    assert receiver.requests[0]["path"] == "/1786579/replies"
    assert receiver.requests[0]["headers"]["Authorization"] == "Bearer page-token-1"


def test_it_waits_as_long_as_meta_says(organisation: None, receiver: Receiver, allowed: None) -> None:
    account = add_meta("facebook", "page_id", PAGE, graph_base=_base(receiver))
    usage = {"104555000000001": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 17}]}
    error = (
        b'{"error": {"message": "(#32) Page request limit reached", "type": "OAuthException", "code": 32}}'
    )
    receiver.answer(403, {"X-Business-Use-Case-Usage": json.dumps(usage)}, error)
    before = timezone.now()
    with pytest.raises(RateLimited) as caught:
        connector_type("facebook").reply(account.config, "Hi", _target("200_3001", {}))
    assert caught.value.retry_at is not None
    assert timedelta(minutes=17) <= caught.value.retry_at - before < timedelta(minutes=17, seconds=5)


def _google(receiver: Receiver) -> ConnectorAccount:
    account = add_google(_base(receiver))
    receiver.answer(200, JSON, fixture("google_review.json"))
    return account


def test_it_reads_a_pushed_review_into_a_case(organisation: None, receiver: Receiver, allowed: None) -> None:
    _google(receiver)
    answer = post_google(pubsub_push(fixture("google_review_notification.json")))
    assert answer.status_code == 200 and answer.json()["stored"] == 1
    assert receiver.requests[0]["path"] == "/accounts/1130000001/locations/9090000001/reviews/AIe9_BGx7kq2"
    run_single_cycle()
    review = Mention.objects.get(network="reviews")
    assert review.text.startswith("2/5 — My mortgage") and review.author.handle == "Camille D."
    assert review.case.department


def test_it_refuses_a_push_without_the_token(organisation: None, receiver: Receiver, allowed: None) -> None:
    _google(receiver)
    answer = post_google(pubsub_push(fixture("google_review_notification.json")), token="guessed")
    assert answer.status_code == 401 and answer.json()["errors"][0]["field"] == "token"
    assert RawInbound.objects.count() == 0 and receiver.requests == []


def test_it_logs_a_push_that_is_not_pubsub(organisation: None, receiver: Receiver, allowed: None) -> None:
    _google(receiver)
    answer = post_google(b'{"message": {"data": "%%%not base64"}}')
    assert answer.status_code == 400 and "base64" in answer.json()["error"]
    assert "message.data is not base64 JSON" in ConnectorLog.objects.get().message


def test_it_defers_a_push_while_google_is_down(organisation: None, receiver: Receiver, allowed: None) -> None:
    add_google(_base(receiver))
    receiver.answer(503)
    answer = post_google(pubsub_push(fixture("google_review_notification.json")))
    assert answer.status_code == 503 and RawInbound.objects.count() == 0
    assert ConnectorAccount.objects.get().status == "error"


def test_it_puts_the_reply_on_the_review(organisation: None, receiver: Receiver, allowed: None) -> None:
    account = add_google(_base(receiver))
    parent = {"review": json.loads(fixture("google_review.json"))}
    name = parent["review"]["name"]
    connector_type("google_reviews").reply(account.config, "We are sorry.", _target(name, parent))
    assert receiver.requests[0]["method"] == "PUT" and receiver.requests[0]["path"] == f"/{name}/reply"
    assert json.loads(receiver.requests[0]["body"]) == {"comment": "We are sorry."}


def test_it_waits_for_google_s_retry_after(organisation: None, receiver: Receiver, allowed: None) -> None:
    account = add_google(_base(receiver))
    receiver.answer(429, {"Retry-After": "90"})
    before = timezone.now()
    with pytest.raises(RateLimited) as caught:
        connector_type("google_reviews").reply(
            account.config, "Hi", _target("accounts/1/locations/2/reviews/3", {})
        )
    retry_at: datetime | None = caught.value.retry_at
    assert retry_at is not None and timedelta(seconds=90) <= retry_at - before < timedelta(seconds=95)
