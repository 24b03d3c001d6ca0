"""The Mastodon connector's settings, checked at start, and what they mean once read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sablier.connectors.base import Config, ConnectorError, Setting
from sablier.errors import FieldError

VISIBILITIES = ("direct", "private", "unlisted", "public")  # narrowest first
WATCHES = ("mentions", "hashtags", "keywords", "direct")

SETTINGS: tuple[Setting, ...] = (
    Setting("instance_url", "the instance's address, e.g. https://mastodon.social"),
    Setting("access_token", "the account's access token (scopes read, write)", required=False, secret=True),
    Setting("access_token_file", "a file holding the access token (instead of access_token)", required=False),
    Setting("handle", "the account's own @user@instance, shown on published answers", required=False),
    Setting("mentions", "listen to mentions of the account (notifications)", required=False, default=True),
    Setting("hashtags", "hashtags to watch, without #", required=False, default=[]),
    Setting("keywords", "words or phrases to watch (the instance's search)", required=False, default=[]),
    Setting("direct", "listen to direct conversations", required=False, default=True),
    Setting("visibility", "the widest visibility of replies and posts", required=False, default="public"),
    Setting("streaming", "use the streaming API when the instance offers it", required=False, default=True),
)


@dataclass(frozen=True)
class Account:
    base: str  # the instance URL without a trailing slash
    token: str
    mentions: bool
    hashtags: tuple[str, ...]
    keywords: tuple[str, ...]
    direct: bool
    visibility: str


def _words(value: object) -> list[str] | None:
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return [v.strip().lstrip("#") for v in value if v.strip().lstrip("#")]


def check_config(config: Config) -> list[FieldError]:
    errors = []
    url = urlsplit(str(config.get("instance_url") or ""))
    if url.scheme not in ("http", "https") or not url.hostname or url.query:
        errors.append(FieldError("instance_url", "an http(s):// address of a Mastodon instance"))
    if not config.get("access_token") and not config.get("access_token_file"):
        errors.append(FieldError("access_token", "required (or access_token_file)"))
    elif config.get("access_token_file") and not Path(str(config["access_token_file"])).is_file():
        errors.append(
            FieldError("access_token_file", f"{config['access_token_file']} is not a readable file")
        )
    errors += [
        FieldError(name, "a list of words")
        for name in ("hashtags", "keywords")
        if _words(config.get(name)) is None
    ]
    if config.get("visibility") not in VISIBILITIES:
        errors.append(FieldError("visibility", f"one of {', '.join(VISIBILITIES)}"))
    if not any(config.get(w) for w in WATCHES):
        errors.append(FieldError("mentions", "watch something: mentions, hashtags, keywords or direct"))
    return errors


def _token(config: Config) -> str:
    if config.get("access_token"):
        return str(config["access_token"]).strip()
    try:
        return Path(str(config["access_token_file"])).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConnectorError(f"access_token_file cannot be read: {exc}", transient=False) from exc


def read_account(config: Config) -> Account:
    return Account(
        base=str(config["instance_url"]).rstrip("/"),
        token=_token(config),
        mentions=bool(config.get("mentions", True)),
        hashtags=tuple(_words(config.get("hashtags")) or ()),
        keywords=tuple(_words(config.get("keywords")) or ()),
        direct=bool(config.get("direct", True)),
        visibility=str(config.get("visibility") or "public"),
    )
