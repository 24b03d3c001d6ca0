"""RSS 2.0 and Atom feeds as a channel: blog comments and news, read-only.

`blog_feeds` are the organisation's own blog (posts or comments feeds): every comment on it is
kept, the articles themselves are the threads' roots, not mentions. `feeds` are anyone else's
(news sites, other blogs): an article or comment is kept when it names one of `keywords`, and
every comment on a kept article too. Articles' comment feeds (`wfw:commentRss`, Atom
`rel="replies"`) are followed, skipped while `slash:comments` / `thr:count` has not changed.

Each feed backs off on its own: a feed that fails (times out, answers 429 or 503 with Retry-After,
is gone) waits in the cursor while the others are read at every poll, and the page carries its
failure so the connector's health shows it. Only a round that reads nothing fails as a whole.

Answers cannot be posted to a feed: `reply` fails with a permanent error telling a person to
answer on the site (the publication shows it). WordPress's REST comments API could do it with an
application password, but it is not a feed standard and is left out on purpose."""

from __future__ import annotations

import copy
from typing import Any

from django.utils import timezone

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
from sablier.connectors.registry import register
from sablier.connectors.rss.entries import Role
from sablier.connectors.rss.feeds import plan, poll, record_failure, still_failing, waiting_until
from sablier.errors import FieldError

FAILURES_PER_ROUND = 3  # feeds that time out cost 10 s each: the rest of the round waits its turn


def _url_list(name: str, value: Any) -> list[FieldError]:
    if not isinstance(value, list | tuple) or not all(isinstance(u, str) for u in value):
        return [FieldError(name, "a list of feed URLs, e.g. [https://blog.example.org/feed/]")]
    return [
        FieldError(name, f"{url!r} is not an http(s) URL")
        for url in value
        if not url.lower().startswith(("http://", "https://"))
    ]


def _unfollowed(role: Role, exc: ConnectorError, feeds: dict[str, Any], items: list[Fetched]) -> bool:
    """An article's comment feed that is gone or closed to comments is no longer followed."""
    if not role.article or exc.transient:
        return False
    del feeds[role.url]
    gone = {"feed": role.url, "article": role.article}
    items.append(Fetched(gone, rejected=f"comment feed no longer followed: {exc}"))
    return True


class RssConnector:
    kind = "rss"
    network = "rss"
    poll_seconds = 300
    settings: tuple[Setting, ...] = (
        Setting("blog_feeds", "the organisation's own blog feeds: every comment is kept", False, default=()),
        Setting("feeds", "other feeds (news, blogs): entries naming a keyword are kept", False, default=()),
        Setting(
            "keywords", "words or phrases naming the organisation (whole words, any case)", False, default=()
        ),
    )

    def check_config(self, config: Config) -> list[FieldError]:
        errors = _url_list("blog_feeds", config["blog_feeds"]) + _url_list("feeds", config["feeds"])
        keywords = config["keywords"]
        if not isinstance(keywords, list | tuple) or not all(
            isinstance(k, str) and k.strip() for k in keywords
        ):
            errors.append(FieldError("keywords", "a list of words or phrases, e.g. [Banque Sablier]"))
        elif config["feeds"] and not keywords:
            errors.append(FieldError("keywords", "required with feeds: which words name the organisation?"))
        if not errors and not (config["blog_feeds"] or config["feeds"]):
            errors.append(FieldError("feeds", "give at least one feed, in blog_feeds or feeds"))
        return errors

    def fetch(self, config: Config, cursor: Cursor) -> Page:
        state = copy.deepcopy(cursor)
        state.pop("resume", None)  # where rounds restarted before each feed kept its own back-off
        feeds: dict[str, Any] = state.setdefault("feeds", {})
        configured = {*config["blog_feeds"], *config["feeds"]}
        for url in [u for u, f in feeds.items() if not f.get("article") and u not in configured]:
            del feeds[url]
        items: list[Fetched] = []
        fresh: list[tuple[str, ConnectorError]] = []
        fine, now = False, timezone.now()  # fine: a feed was read, or is only waiting its turn
        for role in plan(config, feeds):
            feed = feeds.setdefault(role.url, {})
            if waiting_until(feed, now) is not None or len(fresh) >= FAILURES_PER_ROUND:
                fine = fine or not feed.get("permanent")
                continue
            try:
                items += poll(role, feed, feeds)
            except ConnectorError as exc:
                if not _unfollowed(role, exc, feeds, items):
                    record_failure(feed, exc, now)
                    fresh.append((role.url, exc))
                    continue
            fine = True
        if fresh and not fine:  # no feed can be read: the connector fails as a whole
            raise min((exc for _, exc in fresh), key=lambda exc: exc.transient)
        return Page(items, state, failure=still_failing(feeds, [url for url, _ in fresh]))

    def reply(self, config: Config, text: str, target: ReplyTarget) -> Published:
        where = target.url or target.external_id
        raise ConnectorError(
            f"RSS and Atom feeds are read-only: publish this answer on the site itself, in reply to {where}",
            transient=False,
        )

    def post(self, config: Config, text: str) -> Published:
        raise ConnectorError(
            "RSS and Atom feeds are read-only: publish this post on the blog itself", transient=False
        )


register(RssConnector())
