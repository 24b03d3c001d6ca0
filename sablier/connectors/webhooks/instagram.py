"""Instagram professional accounts through Meta webhooks (`object: instagram`): `comments` on our
media, and `mentions` (@-mentions in others' comments or captions, whose text the Graph API gives
from the ids in the delivery), as mentions; answers with `POST /{comment-id}/replies`, or
`POST /{ig-user-id}/mentions` for a mention."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sablier.connectors.base import Config, ConnectorError, Fetched, Published, ReplyTarget
from sablier.connectors.webhooks import meta, reading

COMMENT_FIELDS = "{id,text,username,timestamp}"
MEDIA_FIELDS = "{id,caption,username,timestamp,permalink}"


def _comment(value: Any, own_id: str, sent: datetime | None) -> Fetched | None:
    if not isinstance(value, dict):
        return Fetched({"value": value}, rejected="a comments change's value is not an object")
    author = reading.obj(value.get("from"))
    if str(author.get("id")) == own_id:
        return None  # our own replies
    return reading.fetched(
        {"field": "comments", **value},
        network="instagram",
        external_id=value.get("id"),
        handle=f"@{author['username']}" if author.get("username") else None,
        display_name="",
        profile_url=f"https://www.instagram.com/{author['username']}/" if author.get("username") else "",
        text=value.get("text"),
        url=None,
        created_at=sent,
        in_reply_to=value.get("parent_id"),  # not the media: comments on one post are many cases
    )


def _mention(config: Config, value: Any, now: datetime) -> Fetched:
    """The mentioning comment or caption, asked of the Graph API (the delivery has only ids)."""
    if not isinstance(value, dict) or not value.get("media_id"):
        return Fetched({"field": "mentions", "value": value}, rejected="a mention without media_id")
    own, comment_id = config["ig_user_id"], value.get("comment_id")
    if comment_id:
        fields, key = f"mentioned_comment.comment_id({comment_id}){COMMENT_FIELDS}", "mentioned_comment"
    else:
        fields, key = f"mentioned_media.media_id({value['media_id']}){MEDIA_FIELDS}", "mentioned_media"
    found = meta.api(config).call("GET", f"/{own}?fields={fields}", None, now).get(key) or {}
    raw = {"field": "mentions", "value": value, "mentioned": found}
    username = found.get("username")
    return reading.fetched(
        raw,
        network="instagram",
        external_id=found.get("id"),
        handle=f"@{username}" if username else None,
        display_name="",
        profile_url=f"https://www.instagram.com/{username}/" if username else "",
        text=found.get("text") or found.get("caption"),
        url=found.get("permalink"),
        created_at=reading.iso_time(found.get("timestamp")) if found.get("timestamp") else now,
        in_reply_to=None,
    )


def read_delivery(config: Config, body: bytes, now: datetime) -> list[Fetched]:
    own_id = str(config["ig_user_id"])
    found: list[Fetched | None] = []
    for entry in meta.entries(body, "instagram", own_id):
        sent = reading.epoch_time(entry.get("time")) or now
        for change in reading.listed(entry, "changes"):
            field = change.get("field") if isinstance(change, dict) else None
            if field == "comments":
                found.append(_comment(change.get("value"), own_id, sent))
            elif field == "mentions":
                found.append(_mention(config, change.get("value"), now))
    return [item for item in found if item is not None]


class InstagramWebhooks(meta.MetaWebhooks):
    kind = "instagram"
    network = "instagram"
    owner = "ig_user_id"
    settings = meta.settings("ig_user_id", "the Instagram professional account's numeric id")

    def read_delivery(self, config: Config, body: bytes, now: datetime) -> list[Fetched]:
        return read_delivery(config, body, now)

    def reply(self, config: Config, text: str, target: ReplyTarget) -> Published:
        now, parent = datetime.now(UTC), target.extra.get("parent") or {}
        if parent.get("field") == "mentions":
            value = parent.get("value") or {}
            body = {"media_id": value.get("media_id"), "message": text}
            if value.get("comment_id"):
                body["comment_id"] = value["comment_id"]
            answer = meta.api(config).call("POST", f"/{config['ig_user_id']}/mentions", body, now)
        else:  # Instagram threads one level deep: a reply to a reply joins its top comment
            top = parent.get("parent_id") or target.external_id
            answer = meta.api(config).call("POST", f"/{top}/replies", {"message": text}, now)
        return Published(str(answer.get("id", "")), "", answer)

    def post(self, config: Config, text: str) -> Published:
        raise ConnectorError(
            "Instagram posts need an image or a video: publish this post in Instagram itself", transient=False
        )
