"""RSS 2.0 and Atom feeds as a channel: blog comments and news, read-only.

`blog_feeds` are the organisation's own blog (posts or comments feeds): every comment on it is
kept, the articles themselves are the threads' roots, not mentions. `feeds` are anyone else's
(news sites, other blogs): an article or comment is kept when it names one of `keywords`, and
every comment on a kept article too. Articles' comment feeds (`wfw:commentRss`, Atom
`rel="replies"`) are followed, skipped while `slash:comments` / `thr:count` has not changed.

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
from sablier.connectors.rss.feeds import later, plan, poll, waiting_until
from sablier.errors import FieldError


def _url_list(name: str, value: Any) -> list[FieldError]:
    if not isinstance(value, list | tuple) or not all(isinstance(u, str) for u in value):
        return [FieldError(name, "a list of feed URLs, e.g. [https://blog.example.org/feed/]")]
    return [
        FieldError(name, f"{url!r} is not an http(s) URL")
        for url in value
        if not url.lower().startswith(("http://", "https://"))
    ]


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
        feeds: dict[str, Any] = state.setdefault("feeds", {})
        configured = {*config["blog_feeds"], *config["feeds"]}
        for url in [u for u, f in feeds.items() if not f.get("article") and u not in configured]:
            del feeds[url]
        items: list[Fetched] = []
        progressed, now = False, timezone.now()
        for role in plan(config, state):
            feed = feeds.setdefault(role.url, {})
            try:
                blocked = waiting_until(feed, now)
                if blocked is not None:
                    raise ConnectorError(feed.get("error", "waiting"), transient=True, retry_at=blocked)
                items += poll(role, feed, feeds)
                progressed = True
            except ConnectorError as exc:
                if role.article and not exc.transient:  # the article is gone or closed to comments
                    del feeds[role.url]
                    gone = {"feed": role.url, "article": role.article}
                    items.append(Fetched(gone, rejected=f"comment feed no longer followed: {exc}"))
                    progressed = True
                    continue
                if not progressed:
                    raise
                feed.update(retry_at=later(exc) if exc.transient else None, error=str(exc))
                return Page(items, {**state, "resume": role.url}, more=True)
        return Page(items, state)

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
