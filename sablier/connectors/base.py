"""What every connector is: settings checked at start, listen (a page at a time, from a cursor),
reply in a thread and post, with permanent and transient failures told apart.

A connector type is pure protocol code plus I/O through `sablier.lib.http` or its network's client
library; it never touches the database. The runner (`connectors/actions.py`) stores what it
fetched and its cursor in one transaction, so nothing is lost or doubled across restarts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sablier.errors import FieldError
from sablier.listen.mention_input import MentionIn

Config = dict[str, Any]
Cursor = dict[str, Any]


@dataclass(frozen=True)
class Setting:
    name: str
    help: str
    required: bool = True
    secret: bool = False
    default: Any = None


@dataclass(frozen=True)
class Fetched:
    """One post as the network gave it (`raw`) and as the hub reads it (`mention`), or the reason
    it could not be read (`rejected`): a malformed item is logged and skipped, the rest goes on."""

    raw: dict[str, Any]
    mention: MentionIn | None = None
    rejected: str = ""


@dataclass(frozen=True)
class Page:
    items: list[Fetched]
    cursor: Cursor  # where the next page starts; saved with the items, in one transaction
    more: bool = False  # another page is ready now (do not wait for the poll interval)
    # A part of the source that could not be read (one feed of several…): the page is stored all
    # the same, the account's health shows the failure, and the connector retries that part from
    # its cursor; `failure.retry_at` is when it is due again (the next poll comes no later).
    failure: ConnectorError | None = None


@dataclass(frozen=True)
class ReplyTarget:
    """Where an answer goes: the post it answers, its thread's root, and who wrote it."""

    external_id: str
    root_id: str
    author_handle: str
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Published:
    external_id: str
    url: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


class ConnectorError(Exception):
    """`transient` failures are retried with back-off (or at `retry_at`, when the network says so);
    permanent ones stop the connector until a person fixes its settings."""

    def __init__(self, message: str, transient: bool, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_at = retry_at


MAX_BACKOFF = timedelta(minutes=30)


def backoff(failures: int) -> timedelta:
    """How long to wait after `failures` transient failures in a row: 30 s, doubling, 30 min at most."""
    return min(timedelta(seconds=30 * 2 ** min(max(failures, 1) - 1, 10)), MAX_BACKOFF)


class RateLimited(ConnectorError):
    def __init__(self, message: str, retry_at: datetime | None) -> None:
        super().__init__(message, transient=True, retry_at=retry_at)


class ConnectorType(Protocol):
    kind: str  # the registry key, e.g. "mastodon"
    network: str  # the mentions' network, one of listen.mention_input.Network
    settings: tuple[Setting, ...]
    poll_seconds: int  # how often `fetch` is called when the last page had no more

    def check_config(self, config: Config) -> list[FieldError]:
        """Errors beyond the declared settings (URL shapes, mutually exclusive keys…)."""
        ...

    def fetch(self, config: Config, cursor: Cursor) -> Page: ...

    def reply(self, config: Config, text: str, target: ReplyTarget) -> Published: ...

    def post(self, config: Config, text: str) -> Published: ...
