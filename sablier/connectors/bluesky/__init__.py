"""Bluesky / AT Protocol: mentions and keyword watches from the firehose
(`com.atproto.sync.subscribeRepos`), replies in thread, posts; through the `atproto` SDK."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable

from sablier.connectors.base import Config, ConnectorError, Cursor, Page, Published, ReplyTarget, Setting
from sablier.connectors.bluesky import firehose, publish, session
from sablier.connectors.bluesky.events import Watch
from sablier.connectors.live import register_live
from sablier.connectors.registry import register
from sablier.errors import FieldError

log = logging.getLogger(__name__)
HANDLE = re.compile(r"^@?([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+[a-zA-Z][a-zA-Z0-9-]*$")


def keywords(config: Config) -> tuple[str, ...]:
    value = config.get("keywords") or ()
    words = value.split(",") if isinstance(value, str) else value
    return tuple(str(w).strip() for w in words if str(w).strip())


def watch(config: Config) -> Watch:
    hub = session.hub(config)
    return Watch(hub.did, hub.handle.lower(), keywords(config))


def _url_errors(config: Config, name: str, schemes: tuple[str, ...]) -> list[FieldError]:
    if str(config[name]).startswith(schemes):
        return []
    return [FieldError(name, f"must start with {' or '.join(schemes)}")]


class Bluesky:
    kind = "bluesky"
    network = "bluesky"
    poll_seconds = 10
    settings: tuple[Setting, ...] = (
        Setting("service_url", "the hub account's PDS or entryway", default="https://bsky.social"),
        Setting("handle", "the hub account's handle, e.g. bank.bsky.social"),
        Setting("app_password", "an app password of the hub account (Settings > App passwords)", secret=True),
        Setting("firehose_url", "the relay whose firehose is read", default="wss://bsky.network"),
        Setting("keywords", "words or phrases watched besides @mentions, comma-separated", required=False),
        Setting("plc_url", "the did:plc directory, for authors' handles", default="https://plc.directory"),
        Setting("start_cursor", "where a new connector starts: empty = from now, 0 = oldest", required=False),
        Setting("mention_author", "start replies with the author's @handle", required=False, default=True),
    )

    def check_config(self, config: Config) -> list[FieldError]:
        errors = _url_errors(config, "service_url", ("https://", "http://"))
        errors += _url_errors(config, "plc_url", ("https://", "http://"))
        errors += _url_errors(config, "firehose_url", ("wss://", "ws://", "https://", "http://"))
        if not HANDLE.match(str(config["handle"])):
            errors.append(FieldError("handle", "a domain-like handle such as bank.bsky.social"))
        if not isinstance(config.get("keywords") or "", str | list):
            errors.append(FieldError("keywords", "a comma-separated string or a list of strings"))
        start = config.get("start_cursor")
        if start not in (None, "") and not str(start).isdigit():
            errors.append(FieldError("start_cursor", "a firehose sequence number (0 or more) or empty"))
        return errors

    def fetch(self, config: Config, cursor: Cursor) -> Page:
        return firehose.read_page(config, cursor, watch(config), _resolver(config))

    def reply(self, config: Config, text: str, target: ReplyTarget) -> Published:
        return publish.reply(config, text, target)

    def post(self, config: Config, text: str) -> Published:
        return publish.create_post(config, text, None, {})


def _resolver(config: Config) -> Callable[[str], str]:
    return lambda did: session.resolve_handle(config, did)


def listen(
    config: Config,
    cursor: Cursor,
    on_page: Callable[[Page], None],
    stop: threading.Event,
    on_error: Callable[[ConnectorError], None] = lambda exc: log.warning("bluesky stream: %s", exc),
) -> None:
    """The live stream for `sablier listen`: every batch (items + cursor) goes to `on_page`, to be
    stored in one transaction; returns when `stop` is set, raises a permanent ConnectorError."""
    firehose.listen(config, cursor, on_page, stop, watch(config), _resolver(config), on_error)


register(Bluesky())
register_live(Bluesky.kind, listen)
