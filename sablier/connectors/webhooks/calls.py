"""Calls to the networks' HTTP APIs through lib/http, their failures sorted: a rate limit waits
for the time the network gives, 401/403 stop the connector until a person fixes its token, a
5xx or a dropped connection is retried."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sablier.connectors.base import ConnectorError, RateLimited
from sablier.lib import http

DEFAULT_WAIT = timedelta(minutes=5)
# Reads a failed answer: when the network lets us try again, or None when it is no rate limit.
ResetOf = Callable[[http.OutboundFailed, datetime], datetime | None]
PERMANENT = {
    401: "the network refused the token (401): check the {token} setting",
    403: "the token lacks a permission for this (403): check the {token} setting",
    404: "not found on the network (404): the post may have been deleted",
}


def retry_after_or_default(exc: http.OutboundFailed, now: datetime) -> datetime | None:
    if exc.status != 429:
        return None
    delay = http.retry_delay(exc.headers.get("retry-after"), now)
    return now + (delay if delay is not None else DEFAULT_WAIT)


def failure(exc: http.OutboundFailed, what: str, token: str, reset: datetime | None) -> ConnectorError:
    if reset is not None:
        return RateLimited(f"{what}: rate limited by the network until {reset.isoformat()}", reset)
    if isinstance(exc, http.OutboundRefused):
        return ConnectorError(f"{what}: {exc}", transient=False)
    if exc.status in PERMANENT:
        return ConnectorError(f"{what}: {PERMANENT[exc.status].format(token=token)}", transient=False)
    return ConnectorError(f"{what}: {exc}", transient=exc.transient)


def decoded(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text or "{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


@dataclass(frozen=True)
class Api:
    """A network's HTTP API as one account reaches it: its base URL (configurable, so tests point it
    at a local server), its bearer token and the setting holding it, and its rate-limit reader."""

    base: str
    token: str
    token_setting: str
    reset_of: ResetOf

    def call(self, method: str, path: str, body: dict[str, Any] | None, now: datetime) -> dict[str, Any]:
        """One call (GET when `body` is None); the JSON answer, an empty dict for none."""
        url, what = f"{self.base.rstrip('/')}/{path.lstrip('/')}", f"{method} {path}"
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        try:
            if body is None:
                result = http.get(url, headers)
            else:
                result = http.send_json(method, url, json.dumps(body).encode(), headers)
        except http.OutboundFailed as exc:
            raise failure(exc, what, self.token_setting, self.reset_of(exc, now)) from exc
        return decoded(result.text)
