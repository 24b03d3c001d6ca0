"""Calls to a Mastodon instance's client API through lib/http, with its failures sorted into
permanent (fix the settings) and transient (retry later, at the time the instance gives)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sablier.connectors.base import ConnectorError, RateLimited
from sablier.connectors.mastodon.config import Account
from sablier.lib import http

ANSWER_LIMIT = 4 * 1024 * 1024
DEFAULT_WAIT = timedelta(minutes=1)
PERMANENT = {
    401: "the instance refused the access token (401): check access_token",
    403: "the access token lacks a scope or the account is suspended (403): check access_token",
    404: "not found on the instance (404): check instance_url",
    410: "gone from the instance (410)",
    422: "the instance refused the request (422)",
}


@dataclass(frozen=True)
class Answer:
    body: Any
    headers: Mapping[str, str]  # lower-case names

    def exhausted_until(self, now: datetime) -> datetime | None:
        """When the instance says no request is left until its reset, that reset."""
        if self.headers.get("x-ratelimit-remaining", "").strip() != "0":
            return None
        return rate_limit_reset(self.headers, now)


def rate_limit_reset(headers: Mapping[str, str], now: datetime) -> datetime:
    """The moment to try again: Retry-After, else X-RateLimit-Reset (ISO 8601), else a minute."""
    delay = http.retry_delay(headers.get("retry-after"), now)
    if delay is not None:
        return now + delay
    try:
        reset = datetime.fromisoformat(headers.get("x-ratelimit-reset", "").replace("Z", "+00:00"))
    except ValueError:
        return now + DEFAULT_WAIT
    return max(reset if reset.tzinfo else reset.replace(tzinfo=UTC), now)


def failure(exc: http.OutboundFailed, what: str, now: datetime) -> ConnectorError:
    if exc.status == 429:
        until = rate_limit_reset(exc.headers, now)
        return RateLimited(f"{what}: rate limited by the instance until {until.isoformat()}", until)
    if isinstance(exc, http.OutboundRefused):
        return ConnectorError(f"{what}: {exc} (instance_url)", transient=False)
    if exc.status in PERMANENT:
        return ConnectorError(f"{what}: {PERMANENT[exc.status]}", transient=False)
    return ConnectorError(f"{what}: {exc}", transient=exc.transient)


def _headers(account: Account) -> dict[str, str]:
    return {"Authorization": f"Bearer {account.token}", "Accept": "application/json"}


def _decoded(result: http.HttpResult, what: str) -> Answer:
    try:
        body = json.loads(result.content or result.text)
    except ValueError as exc:
        raise ConnectorError(f"{what}: the instance answered something other than JSON", True) from exc
    return Answer(body, {k.lower(): v for k, v in result.headers.items()})


def api_get(account: Account, path: str, params: list[tuple[str, str]], now: datetime) -> Answer:
    url = f"{account.base}{path}" + (f"?{urlencode(params)}" if params else "")
    try:
        return _decoded(http.get(url, _headers(account), limit=ANSWER_LIMIT), f"GET {path}")
    except http.OutboundFailed as exc:
        raise failure(exc, f"GET {path}", now) from exc


def api_post(account: Account, path: str, body: dict[str, Any], key: str, now: datetime) -> Answer:
    headers = {**_headers(account), "Idempotency-Key": key}
    try:
        result = http.post_json(f"{account.base}{path}", json.dumps(body).encode(), headers)
    except http.OutboundFailed as exc:
        raise failure(exc, f"POST {path}", now) from exc
    return _decoded(result, f"POST {path}")
