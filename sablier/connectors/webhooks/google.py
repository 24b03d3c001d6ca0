"""Google Business Profile reviews: Pub/Sub push notifications (`message.data` is base64 JSON
naming the review, `reviewName` / `review_name`), the review then read from the Business Profile
API and kept as a mention on network "reviews" (stars, comment, reviewer); answered with
`PUT {review}/reply {"comment": …}`.

Push authentication: the push URL carries a shared secret, `/api/inbound/NAME?token=PUSH_TOKEN`,
compared in constant time with the `push_token` setting. Pub/Sub's other option, an OIDC token
signed by Google, would need Google's signing keys fetched at run time; the shared token needs
nothing but HTTPS, which Pub/Sub requires of push endpoints anyway."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any

from sablier.connectors.base import (
    Config,
    ConnectorError,
    Cursor,
    Fetched,
    Page,
    Published,
    ReplyTarget,
    Setting,
)
from sablier.connectors.webhooks import reading
from sablier.connectors.webhooks.calls import Api, retry_after_or_default
from sablier.connectors.webhooks.inbound import (
    Challenge,
    Headers,
    MalformedDelivery,
    Query,
    base_url_errors,
    require_signature,
    secret_errors,
)
from sablier.errors import FieldError

REVIEW_TYPES = ("NEW_REVIEW", "UPDATED_REVIEW")
STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}


def notification(body: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Pub/Sub message and the notification its data holds."""
    message = reading.json_object(body).get("message")
    if not isinstance(message, dict) or not isinstance(message.get("data"), str):
        raise MalformedDelivery("a Pub/Sub push has message.data (base64 JSON); it is missing")
    try:
        data = json.loads(base64.b64decode(message["data"], validate=True))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise MalformedDelivery(f"message.data is not base64 JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise MalformedDelivery("message.data holds no JSON object")
    return message, data


def text_of(review: dict[str, Any]) -> str:
    stars = STARS.get(str(review.get("starRating")))
    rating = f"{stars}/5" if stars else "unrated"
    comment = str(review.get("comment") or "").strip()
    return f"{rating} — {comment}" if comment else f"{rating} (a rating without comment)"


def mention_of(raw: dict[str, Any], review: dict[str, Any]) -> Fetched:
    name, reviewer = str(review.get("name") or ""), review.get("reviewer") or {}
    created, updated = review.get("createTime"), review.get("updateTime")
    edited = bool(
        updated and created and updated != created and raw["notification"]["type"] == "UPDATED_REVIEW"
    )
    return reading.fetched(
        raw,
        network="reviews",
        external_id=f"{name}#{updated}" if edited else name or None,
        handle="Google user" if reviewer.get("isAnonymous") else reviewer.get("displayName"),
        display_name=reviewer.get("displayName"),
        profile_url="",
        text=text_of(review),
        url=None,
        created_at=reading.iso_time(updated if edited else created),
        in_reply_to=name if edited else None,  # an edited review joins the case of the first
    )


def read_delivery(config: Config, body: bytes, now: datetime) -> list[Fetched]:
    message, data = notification(body)
    kind = data.get("type") or data.get("notificationType")
    review_name = data.get("reviewName") or data.get("review_name")
    if kind not in REVIEW_TYPES:
        return []  # Google updates, media, questions: not conversations
    if not isinstance(review_name, str) or "/reviews/" not in review_name:
        return [Fetched({"notification": data}, rejected=f"{kind} without a review name")]
    review = api(config).call("GET", f"/{review_name}", None, now)
    meta = {"messageId": message.get("messageId"), "publishTime": message.get("publishTime")}
    return [mention_of({"notification": {**data, "type": kind}, "message": meta, "review": review}, review)]


def api(config: Config) -> Api:
    return Api(config["api_base"], config["access_token"], "access_token", retry_after_or_default)


class GoogleReviews:
    kind = "google_reviews"
    network = "reviews"
    poll_seconds = 3600  # nothing to poll: Pub/Sub pushes to /api/inbound/NAME?token=…
    signature_header = "token"
    settings: tuple[Setting, ...] = (
        Setting("push_token", "the secret in the push URL: /api/inbound/NAME?token=…", secret=True),
        Setting("access_token", "an OAuth token with the business.manage scope", secret=True),
        Setting(
            "api_base",
            "the Business Profile API's address",
            False,
            default="https://mybusiness.googleapis.com/v4",
        ),
    )

    def check_config(self, config: Config) -> list[FieldError]:
        return (
            secret_errors(config, ("access_token",))
            + secret_errors(config, ("push_token",), 24)
            + (base_url_errors(config, "api_base"))
        )

    def handshake(self, config: Config, query: Query) -> Challenge:
        raise MalformedDelivery("Pub/Sub only pushes (POST); there is no handshake to answer")

    def check_signature(self, config: Config, body: bytes, headers: Headers, query: Query) -> None:
        require_signature(query.get("token"), str(config["push_token"]), "token", "parameter of the push URL")

    def read_delivery(self, config: Config, body: bytes, now: datetime) -> list[Fetched]:
        return read_delivery(config, body, now)

    def fetch(self, config: Config, cursor: Cursor) -> Page:
        return Page([], cursor)

    def reply(self, config: Config, text: str, target: ReplyTarget) -> Published:
        review = (target.extra.get("parent") or {}).get("review") or {}
        name = str(review.get("name") or target.external_id.partition("#")[0])
        answer = api(config).call("PUT", f"/{name}/reply", {"comment": text}, datetime.now(UTC))
        return Published(f"{name}/reply", "", answer)

    def post(self, config: Config, text: str) -> Published:
        raise ConnectorError("reviews are answered, not posted: publish a post on the profile itself", False)
