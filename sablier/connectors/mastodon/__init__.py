"""Mastodon (client API): mentions, hashtags, keywords and direct conversations, polled with a
cursor per stream, or followed live by `sablier listen` through the streaming API where the instance
offers it; replies in thread; posts."""

from __future__ import annotations

from sablier.connectors.base import Config, Cursor, Page, Published, ReplyTarget
from sablier.connectors.live import register_live
from sablier.connectors.mastodon import config, listen, publish
from sablier.connectors.mastodon.stream import listen_stream
from sablier.connectors.registry import register
from sablier.errors import FieldError


class Mastodon:
    kind = "mastodon"
    network = "mastodon"
    settings = config.SETTINGS
    poll_seconds = 60

    def check_config(self, settings: Config) -> list[FieldError]:
        return config.check_config(settings)

    def fetch(self, settings: Config, cursor: Cursor) -> Page:
        return listen.fetch(settings, cursor)

    def reply(self, settings: Config, text: str, target: ReplyTarget) -> Published:
        return publish.reply(settings, text, target)

    def post(self, settings: Config, text: str) -> Published:
        return publish.post(settings, text)


register(Mastodon())
register_live(Mastodon.kind, listen_stream)
