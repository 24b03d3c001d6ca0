"""Posts and replies as `app.bsky.feed.post` records: strong references (uri + cid) to the thread's
root and to the post answered, and facets (UTF-8 byte ranges) for @mentions and links."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from atproto_client import exceptions as sdk  # type: ignore[import-untyped]

from sablier.connectors.base import Config, ConnectorError, Published, ReplyTarget
from sablier.connectors.bluesky import session
from sablier.connectors.bluesky.events import POST, post_url

MAX_GRAPHEMES = 300
LABEL = rb"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
MENTION = re.compile(rb"(?:^|[\s(])(@(?:" + LABEL + rb"\.)+[a-zA-Z][a-zA-Z0-9-]*)(?![\w-])")
LINK = re.compile(rb"(?:^|[\s(])(https?://[^\s)]+[^\s).,;:!?])")


def facets(text: str, known: dict[str, str], resolve: Any) -> list[dict[str, Any]]:
    """Mention facets for @handles (known DIDs first, then `resolve`) and link facets for URLs."""
    data, found = text.encode(), []
    for match in MENTION.finditer(data):
        handle = match.group(1)[1:].decode().lower()
        did = known.get(handle) or resolve(handle)
        if did:
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
            found.append(
                {"index": {"byteStart": match.start(1), "byteEnd": match.end(1)}, "features": [feature]}
            )
    for match in LINK.finditer(data):
        feature = {"$type": "app.bsky.richtext.facet#link", "uri": match.group(1).decode()}
        found.append({"index": {"byteStart": match.start(1), "byteEnd": match.end(1)}, "features": [feature]})
    return found


def strong_refs(parent: dict[str, Any]) -> dict[str, Any]:
    """`reply.root` and `reply.parent` for an answer to `parent` (a fetched post's raw payload)."""
    if not parent.get("uri") or not parent.get("cid"):
        raise ConnectorError(
            "the post answered has no uri and cid (it did not come from the firehose): reply by hand",
            transient=False,
        )
    ref = {"uri": str(parent["uri"]), "cid": str(parent["cid"])}
    record = parent.get("record") if isinstance(parent.get("record"), dict) else {}
    reply = record.get("reply") if isinstance(record, dict) else None
    root = reply.get("root") if isinstance(reply, dict) else None
    if isinstance(root, dict) and root.get("uri") and root.get("cid"):
        return {"root": {"uri": str(root["uri"]), "cid": str(root["cid"])}, "parent": ref}
    return {"root": ref, "parent": ref}


def _resolver(config: Config) -> Any:
    def resolve(handle: str) -> str:
        client = session.hub(config).client
        try:
            return str(client.com.atproto.identity.resolve_handle({"handle": handle}).did)
        except sdk.AtProtocolError:
            return ""

    return resolve


def create_post(config: Config, text: str, reply: dict[str, Any] | None, known: dict[str, str]) -> Published:
    if len(text) > MAX_GRAPHEMES:
        raise ConnectorError(
            f"the answer has {len(text)} characters; Bluesky allows {MAX_GRAPHEMES}", transient=False
        )
    hub = session.hub(config)
    record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": _now()}
    record["facets"] = facets(text, known, _resolver(config))
    if reply:
        record["reply"] = reply
    data = {"repo": hub.did, "collection": POST, "record": record}
    try:
        done = hub.client.com.atproto.repo.create_record(data)
    except sdk.UnauthorizedError as exc:
        session.forget(config)  # expired or revoked session: log in again next time
        raise ConnectorError(
            f"Bluesky refused the session ({exc}); logging in again", transient=True
        ) from exc
    except sdk.AtProtocolError as exc:
        raise session.failure(exc, "publishing") from exc
    raw = {"repo": hub.did, "uri": str(done.uri), "cid": str(done.cid), "record": record}
    return Published(str(done.uri), post_url(hub.handle, str(done.uri)), raw)


def reply(config: Config, text: str, target: ReplyTarget) -> Published:
    parent = target.extra.get("parent") or {}
    refs = strong_refs(parent)
    author_did, author = str(parent.get("repo", "")), target.author_handle.removeprefix("@").lower()
    is_handle = "." in author and not author.startswith("did:")
    if config.get("mention_author") and is_handle and f"@{author}" not in text.lower():
        text = f"@{author} {text}"
    return create_post(config, text, refs, {author: author_did} if author_did else {})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
