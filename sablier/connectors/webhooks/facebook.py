"""Facebook Pages through Meta webhooks (`object: page`): `feed` changes (comments and visitor
posts added) and Messenger `messaging` events as mentions; answers as comments
(`POST /{object-id}/comments`) or Messenger replies (`POST /{page-id}/messages`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sablier.connectors.base import Config, Fetched, Published, ReplyTarget
from sablier.connectors.webhooks import meta, reading

ITEMS = ("comment", "post", "status")


def _parent_comment(value: dict[str, Any]) -> str | None:
    """The comment answered; None for a comment on the post itself (one case per commenter)."""
    parent = value.get("parent_id")
    return str(parent) if parent and parent != value.get("post_id") else None


def _feed(value: Any, page_id: str, sent: datetime | None) -> Fetched | None:
    if not isinstance(value, dict):
        return Fetched({"value": value}, rejected="a feed change's value is not an object")
    author = reading.obj(value.get("from"))
    if value.get("item") not in ITEMS or value.get("verb") != "add" or str(author.get("id")) == page_id:
        return None  # reactions, edits, removals, and the page's own comments (our answers)
    is_comment = value["item"] == "comment"
    external_id = value.get("comment_id") if is_comment else value.get("post_id")
    created = value.get("created_time")
    post = reading.obj(value.get("post"))
    return reading.fetched(
        value,
        network="facebook",
        external_id=external_id,
        handle=str(author["id"]) if author.get("id") else None,
        display_name=author.get("name"),
        profile_url="",
        text=value.get("message"),
        url=post.get("permalink_url") or (f"https://www.facebook.com/{external_id}" if external_id else None),
        created_at=reading.epoch_time(created) or reading.iso_time(created) or sent,
        in_reply_to=_parent_comment(value) if is_comment else None,
    )


def _message(event: Any, page_id: str) -> Fetched | None:
    if not isinstance(event, dict) or not isinstance(event.get("message"), dict):
        return None  # deliveries, reads, postbacks
    message, sender = event["message"], str(reading.obj(event.get("sender")).get("id", ""))
    if message.get("is_echo") or sender == page_id:
        return None
    return reading.fetched(
        event,
        network="facebook",
        external_id=message.get("mid"),
        handle=sender or None,
        display_name="",
        profile_url="",
        text=message.get("text"),
        url=None,
        created_at=reading.epoch_time(event.get("timestamp"), milliseconds=True),
        in_reply_to=None,
    )


def read_delivery(config: Config, body: bytes) -> list[Fetched]:
    page_id = str(config["page_id"])
    found: list[Fetched | None] = []
    for entry in meta.entries(body, "page", page_id):
        sent = reading.epoch_time(entry.get("time"))
        for change in reading.listed(entry, "changes"):
            if isinstance(change, dict) and change.get("field") == "feed":
                found.append(_feed(change.get("value"), page_id, sent))
        found += [_message(event, page_id) for event in reading.listed(entry, "messaging")]
    return [item for item in found if item is not None]


class FacebookWebhooks(meta.MetaWebhooks):
    kind = "facebook"
    network = "facebook"
    owner = "page_id"
    settings = meta.settings("page_id", "the Facebook Page's numeric id")

    def read_delivery(self, config: Config, body: bytes, now: datetime) -> list[Fetched]:
        return read_delivery(config, body)

    def reply(self, config: Config, text: str, target: ReplyTarget) -> Published:
        now, parent = datetime.now(UTC), target.extra.get("parent") or {}
        if isinstance(parent.get("message"), dict):  # a Messenger conversation
            body = {
                "recipient": {"id": reading.obj(parent.get("sender")).get("id", target.author_handle)},
                "messaging_type": "RESPONSE",
                "message": {"text": text},
            }
            answer = meta.api(config).call("POST", f"/{config['page_id']}/messages", body, now)
            return Published(str(answer.get("message_id", "")), "", answer)
        answer = meta.api(config).call("POST", f"/{target.external_id}/comments", {"message": text}, now)
        comment_id = str(answer.get("id", ""))
        return Published(comment_id, f"https://www.facebook.com/{comment_id}" if comment_id else "", answer)

    def post(self, config: Config, text: str) -> Published:
        answer = meta.api(config).call(
            "POST", f"/{config['page_id']}/feed", {"message": text}, datetime.now(UTC)
        )
        post_id = str(answer.get("id", ""))
        return Published(post_id, f"https://www.facebook.com/{post_id}" if post_id else "", answer)
