"""What Facebook Pages and Instagram share as Meta Graph API webhooks: the subscription handshake
(`hub.mode=subscribe`, `hub.verify_token`, echo `hub.challenge`), deliveries signed in
`X-Hub-Signature-256` (hex HMAC-SHA256 of the raw body with the app secret), the Graph API with
the page access token, and its rate limits (error codes 4, 17, 32, 613, and the estimated time to
regain access in `X-Business-Use-Case-Usage`)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sablier.connectors.base import Config, Cursor, Page, Setting
from sablier.connectors.webhooks.calls import DEFAULT_WAIT, Api, decoded
from sablier.connectors.webhooks.inbound import (
    Challenge,
    Headers,
    MalformedDelivery,
    Query,
    base_url_errors,
    hex_signature,
    require_signature,
    secret_errors,
)
from sablier.connectors.webhooks.reading import json_object, listed
from sablier.errors import FieldError
from sablier.lib import http

SIGNATURE_HEADER = "x-hub-signature-256"
RATE_LIMIT_CODES = {4, 17, 32, 613}


def settings(owner: str, owner_help: str) -> tuple[Setting, ...]:
    return (
        Setting("app_secret", "the Meta app's secret: signs every delivery", secret=True),
        Setting("verify_token", "the verify token typed in the app's webhook settings", secret=True),
        Setting(owner, owner_help),
        Setting("access_token", "the page access token, to answer", secret=True),
        Setting("handle", "the account's name, shown on published answers", required=False),
        Setting(
            "graph_base",
            "the Graph API's address",
            required=False,
            default="https://graph.facebook.com/v21.0",
        ),
    )


def check_config(config: Config, owner: str) -> list[FieldError]:
    errors = secret_errors(config, ("app_secret", "verify_token", "access_token"))
    if not str(config[owner]).isdigit():
        errors.append(FieldError(owner, "a numeric id, as the Graph API gives it"))
    return errors + base_url_errors(config, "graph_base")


def handshake(config: Config, query: Query) -> Challenge:
    if query.get("hub.mode") != "subscribe" or not query.get("hub.challenge"):
        raise MalformedDelivery("Meta's handshake sends hub.mode=subscribe with hub.challenge")
    require_signature(
        query.get("hub.verify_token"), str(config["verify_token"]), "hub.verify_token", "parameter"
    )
    return Challenge(query["hub.challenge"])


def check_signature(config: Config, body: bytes, headers: Headers) -> None:
    require_signature(
        headers.get(SIGNATURE_HEADER), hex_signature(config["app_secret"], body), SIGNATURE_HEADER
    )


def entries(body: bytes, obj: str, owner_id: str) -> list[dict[str, Any]]:
    """The delivery's entries for this account; the wrong object or account is malformed here."""
    payload = json_object(body)
    if payload.get("object") != obj:
        raise MalformedDelivery(f"object is {payload.get('object')!r}; this connector reads {obj!r}")
    found = listed(payload, "entry")
    if not all(isinstance(e, dict) for e in found):
        raise MalformedDelivery("an entry is not an object")
    strangers = sorted({str(e.get("id")) for e in found} - {owner_id})
    if strangers:
        raise MalformedDelivery(f"entry id {strangers[0]} is not this account's id {owner_id}")
    return found


def _regain_minutes(headers: dict[str, str]) -> int:
    try:
        usage = json.loads(headers.get("x-business-use-case-usage") or "{}")
        per_business = usage.values() if isinstance(usage, dict) else []
        waits = [int(u.get("estimated_time_to_regain_access") or 0) for b in per_business for u in b]
    except (ValueError, TypeError, AttributeError):
        return 0
    return max(waits, default=0)


def rate_limit_reset(exc: http.OutboundFailed, now: datetime) -> datetime | None:
    error = decoded(exc.body).get("error")
    code = error.get("code") if isinstance(error, dict) else None
    if code not in RATE_LIMIT_CODES and exc.status != 429:
        return None
    minutes = _regain_minutes(exc.headers)
    return now + (timedelta(minutes=minutes) if minutes else DEFAULT_WAIT)


def api(config: Config) -> Api:
    return Api(config["graph_base"], config["access_token"], "access_token", rate_limit_reset)


class MetaWebhooks:
    """What Facebook Pages and Instagram share: Meta's handshake, its signature, nothing to poll.
    A subclass names its kind, the id setting of the account it listens for, and reads deliveries."""

    kind = ""
    network = ""
    owner = ""  # the setting holding the page's or account's numeric id
    poll_seconds = 3600  # nothing to poll: Meta pushes to /api/inbound/NAME
    signature_header = SIGNATURE_HEADER
    settings: tuple[Setting, ...] = ()

    def check_config(self, config: Config) -> list[FieldError]:
        return check_config(config, self.owner)

    def handshake(self, config: Config, query: Query) -> Challenge:
        return handshake(config, query)

    def check_signature(self, config: Config, body: bytes, headers: Headers, query: Query) -> None:
        check_signature(config, body, headers)

    def fetch(self, config: Config, cursor: Cursor) -> Page:
        return Page([], cursor)
