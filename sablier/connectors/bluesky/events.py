"""Firehose frames (`com.atproto.sync.subscribeRepos`, DAG-CBOR with CAR blocks) read into mentions.

A post is the hub's business when it mentions the hub's account (a mention facet with its DID or
its @handle in the text), replies to one of its posts, or contains a watched keyword. Everything
else only moves the cursor. A post that is ours but cannot be read is rejected with the reason."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from atproto import CAR, parse_subscribe_repos_message  # type: ignore[import-untyped]
from atproto_client.models.com.atproto.sync.subscribe_repos import Commit  # type: ignore[import-untyped]
from atproto_subscription.frames import ErrorFrame, Frame  # type: ignore[import-untyped]

from sablier.connectors.base import ConnectorError, Fetched
from sablier.errors import ValidationFailed
from sablier.listen.mention_input import check_mention

POST = "app.bsky.feed.post"
MENTION_FACET = "app.bsky.richtext.facet#mention"
WEB = "https://bsky.app"
Resolve = Callable[[str], str]  # DID -> handle


@dataclass(frozen=True)
class Watch:
    """Whose mentions the hub listens to, and which words it watches."""

    did: str
    handle: str
    keywords: tuple[str, ...] = ()

    def concerns(self, record: dict[str, Any]) -> bool:
        text = record.get("text") if isinstance(record.get("text"), str) else ""
        assert isinstance(text, str)
        if re.search(rf"@{re.escape(self.handle)}(?![\w-]|\.\w)", text, re.IGNORECASE):
            return True
        if self.did in _mentioned_dids(record) or _replies_to(record).startswith(f"at://{self.did}/"):
            return True
        lowered = text.lower()
        return any(keyword.lower() in lowered for keyword in self.keywords)


def _mentioned_dids(record: dict[str, Any]) -> set[str]:
    found = set()
    for facet in record.get("facets") or []:
        for feature in facet.get("features") or [] if isinstance(facet, dict) else []:
            if isinstance(feature, dict) and feature.get("$type") == MENTION_FACET:
                found.add(str(feature.get("did")))
    return found


def _replies_to(record: dict[str, Any]) -> str:
    reply = record.get("reply")
    parent = reply.get("parent") if isinstance(reply, dict) else None
    return str(parent.get("uri", "")) if isinstance(parent, dict) else ""


def jsonable(value: Any) -> Any:
    """A decoded record as JSON: CID links as strings, bytes as base64."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def post_url(did: str, uri: str) -> str:
    return f"{WEB}/profile/{did}/post/{uri.rsplit('/', 1)[-1]}"


def read_post(raw: dict[str, Any], resolve: Resolve) -> Fetched:
    """One post as the hub reads it, or the reason it cannot be read."""
    record, did = raw["record"], raw["repo"]
    data = {
        "network": "bluesky",
        "external_id": raw["uri"],
        "author": {"handle": resolve(did), "profile_url": f"{WEB}/profile/{did}"},
        "text": record.get("text"),
        "url": post_url(did, raw["uri"]),
        "created_at": record.get("createdAt"),
        "in_reply_to": _replies_to(record) or None,
    }
    try:
        return Fetched(raw, check_mention(data))
    except ValidationFailed as exc:
        reasons = "; ".join(f"{e.field.removeprefix('body.')}: {e.message}" for e in exc.errors)
        return Fetched(raw, rejected=f"post {raw['uri']} is malformed: {reasons}")


def _commit_posts(commit: Any, watch: Watch, resolve: Resolve) -> list[Fetched]:
    creates = [op for op in commit.ops if op.action == "create" and op.path.startswith(f"{POST}/")]
    if not creates or commit.repo == watch.did:
        return []
    blocks = CAR.from_bytes(commit.blocks).blocks
    found = []
    for op in creates:
        record = blocks.get(op.cid)
        uri = f"at://{commit.repo}/{op.path}"
        if not isinstance(record, dict):
            continue  # not in this diff (a too-big commit): nothing to read
        if not watch.concerns(record):
            continue
        raw = {"seq": commit.seq, "repo": commit.repo, "uri": uri, "cid": str(op.cid)}
        found.append(read_post({**raw, "time": commit.time, "record": jsonable(record)}, resolve))
    return found


def read_frame(data: bytes | str, watch: Watch, resolve: Resolve) -> tuple[int | None, list[Fetched]]:
    """The frame's sequence number (None when unreadable) and the posts in it that concern the hub."""
    if isinstance(data, str):
        return None, [Fetched({"frame": data[:2000]}, rejected="a text frame on a binary event stream")]
    try:
        frame = Frame.from_bytes(data)
    except Exception as exc:  # any decoding failure rejects this frame only
        sample = base64.b64encode(data[:1500]).decode()
        return None, [Fetched({"frame": sample}, rejected=f"undecodable firehose frame: {exc}")]
    if isinstance(frame, ErrorFrame):
        error = f"{frame.body.error}: {frame.body.message or ''}"
        future = frame.body.error == "FutureCursor"
        hint = " (the saved cursor is ahead of the server: clear the connector's cursor)" if future else ""
        raise ConnectorError(f"the firehose refused the subscription: {error}{hint}", transient=not future)
    body = frame.body if isinstance(frame.body, dict) else {}
    seq = body.get("seq") if isinstance(body.get("seq"), int) else None
    try:
        message = parse_subscribe_repos_message(frame)
        if not isinstance(message, Commit):
            return seq, []
        return seq, _commit_posts(message, watch, resolve)
    except Exception as exc:  # a malformed event is rejected, the stream goes on
        detail = {"seq": seq, "type": frame.type, "repo": str(body.get("repo", ""))}
        return seq, [Fetched(detail, rejected=f"malformed {frame.type} event (seq {seq}): {exc}")]
