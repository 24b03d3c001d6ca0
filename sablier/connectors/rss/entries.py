"""One feed entry as the hub reads it: an article or a comment, its thread, its author and text.

Threads are rebuilt from what blogs publish: Atom threading (`thr:in-reply-to`, RFC 4685, as in
WordPress's Atom comment feeds), WordPress's "In reply to <a href=…#comment-N>" line in RSS 2.0
comment feeds and its comment ids (the article's guid + `#comment-N`), else the article whose
comment feed (`wfw:commentRss`, Atom `rel="replies"`) the comment came from."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sablier.connectors.base import Fetched
from sablier.connectors.plaintext import html_to_text
from sablier.errors import ValidationFailed
from sablier.limits import MAX_TEXT_LENGTH
from sablier.listen.mention_input import check_mention

# WordPress's "In reply to <a href="…#comment-N">Name</a>." line, in any language ("En réponse à" …)
IN_REPLY_TO = re.compile(r"^\s*(?:<p>)?[^<]{1,40}<a href=\"([^\"]+#comment-\d+)\"[^>]*>[^<]*</a>\.\s*")
COMMENT_MARK = "#comment-"
RAW_CONTENT = 20_000


@dataclass(frozen=True)
class Role:
    """How a feed's entries are read: `own` = the organisation's blog (every comment is kept);
    `article` = the article a comment feed belongs to; `keywords` filter the other entries."""

    url: str
    own: bool
    keywords: tuple[str, ...]
    article: str = ""


@dataclass(frozen=True)
class Entry:
    id: str
    fetched: Fetched | None  # None: not a mention (the organisation's own article, or no keyword)
    comment_feed: str = ""  # an article's comment feed to follow, if it is kept
    comments: int | None = None  # slash:comments, to skip a comment feed that did not change


def entry_id(entry: Any) -> str:
    return str(entry.get("id") or entry.get("link") or "").strip()


def _thread_ref(entry: Any) -> str:
    for key, value in entry.items():
        if key.endswith("in-reply-to") and isinstance(value, dict):
            return str(value.get("ref") or value.get("href") or "")
    return ""


def _comment_feed(entry: Any) -> str:
    if entry.get("wfw_commentrss"):
        return str(entry["wfw_commentrss"])
    for link in entry.get("links", []):
        if link.get("rel") == "replies" and "xml" in str(link.get("type", "")):
            return str(link.get("href", ""))
    return ""


def _count(entry: Any) -> int | None:
    for link in entry.get("links", []):
        if link.get("rel") == "replies" and link.get("thr:count"):
            return int(link["thr:count"]) if str(link["thr:count"]).isdigit() else None
    value = str(entry.get("slash_comments", "")).strip()
    return int(value) if value.isdigit() else None


def _html(entry: Any) -> str:
    contents = entry.get("content") or []
    return str(contents[0].get("value", "") if contents else entry.get("summary", ""))


def _parent(entry: Any, role: Role, html: str) -> str:
    """The article or comment this entry answers; '' for an article."""
    ref = _thread_ref(entry)
    if ref:
        return ref
    own_id = entry_id(entry)
    article = role.article or (own_id.partition(COMMENT_MARK)[0] if COMMENT_MARK in own_id else "")
    said = IN_REPLY_TO.match(html)
    if said and article and COMMENT_MARK in said.group(1):
        return article + COMMENT_MARK + said.group(1).rpartition(COMMENT_MARK)[2]
    return article


def _matches(text: str, keywords: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text, re.I) for k in keywords)


def _when(entry: Any) -> datetime:
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if not moment:
        return datetime.now(UTC)
    year, month, day, hour, minute, second = moment[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _author(entry: Any, role: Role) -> dict[str, str]:
    detail = entry.get("author_detail") or {}
    name = str(detail.get("name") or entry.get("author") or "anonymous").strip()
    host = urlsplit(str(entry.get("link") or role.url)).hostname or "feed"
    href = str(detail.get("href") or "")
    return {
        "handle": f"{name}@{host}",
        "display_name": name,
        "profile_url": href if href.startswith(("http://", "https://")) else "",
    }


def raw_entry(entry: Any, role: Role, parent: str) -> dict[str, Any]:
    return {
        "feed": role.url,
        "id": entry_id(entry),
        "link": str(entry.get("link", "")),
        "title": str(entry.get("title", "")),
        "author": str(entry.get("author", "")),
        "published": str(entry.get("published") or entry.get("updated") or ""),
        "in_reply_to": parent,
        "content": _html(entry)[:RAW_CONTENT],
        "comment_feed": _comment_feed(entry),
    }


def _mention(entry: Any, role: Role, parent: str, text: str) -> Fetched:
    raw = raw_entry(entry, role, parent)
    data = {
        "network": "rss",
        "external_id": raw["id"],
        "author": _author(entry, role),
        "text": text[:MAX_TEXT_LENGTH],
        "url": raw["link"] or None,
        "created_at": _when(entry),
        "in_reply_to": parent or None,
    }
    try:
        return Fetched(raw, check_mention(data))
    except ValidationFailed as exc:
        return Fetched(raw, rejected="; ".join(f"{e.field}: {e.message}" for e in exc.errors))


def read_entry(entry: Any, role: Role) -> Entry:
    ident, html, comment_feed = entry_id(entry), _html(entry), _comment_feed(entry)
    if not ident:
        raw = raw_entry(entry, role, "")
        digest = hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()[:32]
        reason = "the entry has neither an id/guid nor a link, so it cannot be told from the others"
        return Entry(f"digest:{digest}", Fetched(raw, rejected=reason))
    parent = _parent(entry, role, html)
    is_comment = bool(parent) and not comment_feed
    body = html_to_text(IN_REPLY_TO.sub("", html, count=1))
    title = str(entry.get("title", "")).strip()
    text = body if is_comment else "\n\n".join(part for part in (title, body) if part)
    if is_comment:
        kept = role.own or bool(role.article) or _matches(text, role.keywords)
    else:
        kept = not role.own and _matches(text, role.keywords)
    follow = comment_feed if not is_comment and (role.own or kept) else ""
    fetched = _mention(entry, role, parent if is_comment else "", text) if kept else None
    return Entry(ident, fetched, follow, _count(entry))
