"""The hub's Bluesky session (one login per account and process: createSession is rate-limited
hard), authors' handles from their DID documents, and the SDK's failures told apart."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from atproto import Client  # type: ignore[import-untyped]
from atproto_client import exceptions as sdk  # type: ignore[import-untyped]
from atproto_identity.did.resolver import DidResolver  # type: ignore[import-untyped]

from sablier.connectors.base import Config, ConnectorError, RateLimited

T = TypeVar("T")
RATE_LIMIT_FALLBACK = timedelta(minutes=1)
_lock = threading.Lock()
_sessions: dict[tuple[str, str, str], Hub] = {}
_handles: dict[str, str] = {}


@dataclass(frozen=True)
class Hub:
    client: Any  # atproto.Client, logged in
    did: str
    handle: str


def handle_of(config: Config) -> str:
    return str(config["handle"]).strip().removeprefix("@").lower()


def _key(config: Config) -> tuple[str, str, str]:
    return (str(config["service_url"]), handle_of(config), str(config["app_password"]))


def failure(exc: Exception, doing: str) -> ConnectorError:
    """The SDK's exception as a connector error: rate limits, permanent refusals, transient rest."""
    if isinstance(exc, sdk.RateLimitExceededError):
        retry_at = exc.reset_at
        if retry_at is None and exc.retry_after is not None:
            retry_at = datetime.now(UTC) + timedelta(seconds=exc.retry_after)
        when = retry_at or datetime.now(UTC) + RATE_LIMIT_FALLBACK
        return RateLimited(f"Bluesky rate limit while {doing}: retry after {when.isoformat()}", when)
    status = exc.response.status_code if isinstance(exc, sdk.RequestErrorBase) and exc.response else 0
    if isinstance(exc, sdk.NetworkError) or status >= 500 or status in (408, 0):
        return ConnectorError(f"Bluesky unreachable while {doing}: {exc}", transient=True)
    return ConnectorError(f"Bluesky refused {doing} ({exc})", transient=False)


def call(doing: str, action: Callable[[], T]) -> T:
    try:
        return action()
    except sdk.AtProtocolError as exc:
        raise failure(exc, doing) from exc
    except OSError as exc:
        raise ConnectorError(f"Bluesky unreachable while {doing}: {exc}", transient=True) from exc


def hub(config: Config) -> Hub:
    """The logged-in hub account; bad credentials are permanent (fix the handle or app password)."""
    key = _key(config)
    with _lock:
        if key in _sessions:
            return _sessions[key]
    client = Client(base_url=str(config["service_url"]).rstrip("/"))
    try:
        call("logging in", lambda: client.login(key[1], key[2], fetch_bsky_profile=False))
    except ConnectorError as exc:
        if not isinstance(exc, RateLimited) and exc.transient is False:
            exc.args = (f"{exc}: check the handle and app_password settings",)
        raise
    session = client._session  # the SDK keeps the createSession answer here
    found = Hub(client, str(session.did), str(session.handle))
    with _lock:
        _sessions[key] = found
    return found


def forget(config: Config) -> None:
    """Drop the cached session (refused token): the next call logs in again."""
    with _lock:
        _sessions.pop(_key(config), None)


def resolve_handle(config: Config, did: str) -> str:
    """The handle an author's DID document claims, or the DID itself when it cannot be read."""
    if did in _handles:
        return _handles[did]
    try:
        document = DidResolver(plc_url=str(config["plc_url"]), timeout=5).resolve_without_validation(did)
    except Exception:  # a display name is not worth failing a page for
        return did
    aliases = document.get("alsoKnownAs", []) if isinstance(document, dict) else []
    handle = next((str(a).removeprefix("at://") for a in aliases if str(a).startswith("at://")), did)
    with _lock:
        _handles[did] = handle
    return handle
