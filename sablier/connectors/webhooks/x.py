"""X / Twitter Account Activity API: the CRC challenge, deliveries signed in
`x-twitter-webhooks-signature`, `tweet_create_events` (mentions, replies, quotes) and
`direct_message_events` as mentions; answers through the X API v2 (`POST /2/tweets` in reply,
`POST /2/dm_conversations/with/{id}/messages` for a direct message)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sablier.connectors.base import Config, Cursor, Fetched, Page, Published, ReplyTarget, Setting
from sablier.connectors.webhooks import reading
from sablier.connectors.webhooks.calls import Api, retry_after_or_default
from sablier.connectors.webhooks.inbound import (
    Challenge,
    Headers,
    MalformedDelivery,
    Query,
    b64_signature,
    base_url_errors,
    require_signature,
    secret_errors,
)
from sablier.errors import FieldError
from sablier.lib import http

TWEET_TIME = "%a %b %d %H:%M:%S %z %Y"  # v1.1 "created_at": Fri Nov 27 09:12:44 +0000 2026


def rate_limit_reset(exc: http.OutboundFailed, now: datetime) -> datetime | None:
    """429 with `x-rate-limit-reset` (epoch seconds): that moment; Retry-After or a default else."""
    reset = exc.headers.get("x-rate-limit-reset", "").strip()
    if exc.status == 429 and reset.isdigit():
        return max(datetime.fromtimestamp(int(reset), UTC), now)
    return retry_after_or_default(exc, now)


def _tweet(item: Any, own_id: str) -> Fetched | None:
    if not isinstance(item, dict):
        return Fetched({"item": item}, rejected="a tweet_create_events item is not an object")
    user = reading.obj(item.get("user"))
    if str(user.get("id_str", "")) == own_id or "retweeted_status" in item:
        return None  # our own tweets (the answers we published) and plain retweets
    extended = reading.obj(item.get("extended_tweet"))
    screen_name = str(user.get("screen_name", ""))
    return reading.fetched(
        item,
        network="x",
        external_id=item.get("id_str"),
        handle=f"@{screen_name}" if screen_name else None,
        display_name=user.get("name"),
        profile_url=f"https://x.com/{screen_name}" if screen_name else "",
        text=extended.get("full_text") or item.get("text"),
        url=f"https://x.com/{screen_name}/status/{item.get('id_str')}" if screen_name else None,
        created_at=reading.parsed_time(item.get("created_at"), TWEET_TIME),
        in_reply_to=item.get("in_reply_to_status_id_str"),
    )


def _message(event: Any, users: dict[str, Any], own_id: str) -> Fetched | None:
    if not isinstance(event, dict) or event.get("type") != "message_create":
        return None  # read receipts, typing indicators…
    created = reading.obj(event.get("message_create"))
    sender = str(created.get("sender_id", ""))
    if sender == own_id:
        return None  # the direct messages we sent
    user = reading.obj(users.get(sender))
    data = reading.obj(created.get("message_data"))
    raw = {**event, "users": {sender: user}}
    screen_name = str(user.get("screen_name", ""))
    return reading.fetched(
        raw,
        network="x",
        external_id=f"dm:{event['id']}" if event.get("id") else None,
        handle=f"@{screen_name}" if screen_name else None,
        display_name=user.get("name"),
        profile_url=f"https://x.com/{screen_name}" if screen_name else "",
        text=data.get("text"),
        url=None,
        created_at=reading.epoch_time(event.get("created_timestamp"), milliseconds=True),
        in_reply_to=None,
    )


def read_delivery(config: Config, body: bytes) -> list[Fetched]:
    payload = reading.json_object(body)
    own_id = str(config["user_id"])
    if str(payload.get("for_user_id", "")) != own_id:
        raise MalformedDelivery(
            f"for_user_id {payload.get('for_user_id')!r} is not this account's user_id {own_id}"
        )
    tweets = reading.listed(payload, "tweet_create_events")
    messages = reading.listed(payload, "direct_message_events")
    users = reading.obj(payload.get("users"))
    found = [_tweet(item, own_id) for item in tweets] + [_message(e, users, own_id) for e in messages]
    return [item for item in found if item is not None]


class XWebhooks:
    kind = "x"
    network = "x"
    poll_seconds = 3600  # nothing to poll: X pushes to /api/inbound/NAME
    signature_header = "x-twitter-webhooks-signature"
    settings: tuple[Setting, ...] = (
        Setting(
            "consumer_secret", "the app's API secret key: signs the CRC answer and deliveries", secret=True
        ),
        Setting("user_id", "the numeric id of the account subscribed to the webhook (for_user_id)"),
        Setting("user_token", "an OAuth 2.0 user token (tweet.write, dm.write) to answer", secret=True),
        Setting("handle", "the account's @name, shown on published answers", required=False),
        Setting("api_base", "the X API's address", required=False, default="https://api.x.com"),
    )

    def check_config(self, config: Config) -> list[FieldError]:
        errors = secret_errors(config, ("consumer_secret", "user_token")) + base_url_errors(
            config, "api_base"
        )
        if not str(config["user_id"]).isdigit():
            errors.append(FieldError("user_id", "the account's numeric id, e.g. 2244994945"))
        return errors

    def handshake(self, config: Config, query: Query) -> Challenge:
        token = query.get("crc_token", "")
        if not token:
            raise MalformedDelivery("X's CRC check sends ?crc_token=…; none was given")
        return Challenge({"response_token": b64_signature(config["consumer_secret"], token.encode())})

    def check_signature(self, config: Config, body: bytes, headers: Headers, query: Query) -> None:
        expected = b64_signature(config["consumer_secret"], body)
        require_signature(headers.get(self.signature_header), expected, self.signature_header)

    def read_delivery(self, config: Config, body: bytes, now: datetime) -> list[Fetched]:
        return read_delivery(config, body)

    def fetch(self, config: Config, cursor: Cursor) -> Page:
        return Page([], cursor)

    def _api(self, config: Config) -> Api:
        return Api(config["api_base"], config["user_token"], "user_token", rate_limit_reset)

    def reply(self, config: Config, text: str, target: ReplyTarget) -> Published:
        now = datetime.now(UTC)
        if target.external_id.startswith("dm:"):
            parent = target.extra.get("parent") or {}
            sender = (parent.get("message_create") or {}).get("sender_id", "")
            path = f"/2/dm_conversations/with/{sender}/messages"
            data = self._api(config).call("POST", path, {"text": text}, now).get("data") or {}
            return Published(f"dm:{data.get('dm_event_id', '')}", "", data)
        body = {"text": text, "reply": {"in_reply_to_tweet_id": target.external_id}}
        return self._published(config, self._api(config).call("POST", "/2/tweets", body, now))

    def post(self, config: Config, text: str) -> Published:
        answer = self._api(config).call("POST", "/2/tweets", {"text": text}, datetime.now(UTC))
        return self._published(config, answer)

    def _published(self, config: Config, answer: dict[str, Any]) -> Published:
        data = reading.obj(answer.get("data"))
        tweet_id = str(data.get("id", ""))
        handle = str(config.get("handle") or "i").lstrip("@")
        return Published(tweet_id, f"https://x.com/{handle}/status/{tweet_id}" if tweet_id else "", data)
