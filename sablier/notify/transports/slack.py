"""Slack-compatible incoming webhooks (Slack, Mattermost, Rocket.Chat…): POST {"text": …}
through lib/http.py, which refuses private addresses unless they are allowed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sablier.lib import http
from sablier.notify.transports import Outgoing, SendFailed

USER_AGENT = "Sablier-Notifications/1"


def send_batch(batch: Sequence[Outgoing]) -> list[SendFailed | None]:
    return [_send_one(url, message.text) for url, message in batch]


def _send_one(url: str, text: str) -> SendFailed | None:
    body = json.dumps({"text": text}, ensure_ascii=False).encode()
    try:
        http.post_json(url, body, {"User-Agent": USER_AGENT})
    except http.OutboundFailed as exc:
        retry_after = http.retry_delay(exc.retry_after, datetime.now(UTC))
        return SendFailed(str(exc), exc.transient, retry_after)
    return None
