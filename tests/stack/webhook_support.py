"""Shared by the webhook connector tests: fixtures in the networks' formats, signed as they sign."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from django.test import Client

from sablier.connectors.actions import do_add_connector
from sablier.connectors.models import ConnectorAccount
from sablier.connectors.webhooks.inbound import b64_signature, hex_signature

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "webhooks"
X_SECRET, META_SECRET, PUSH_TOKEN = "x-consumer-secret-1234", "meta-app-secret-5678", "p" * 32


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def add_x(api_base: str = "https://api.x.com") -> ConnectorAccount:
    config = {"consumer_secret": X_SECRET, "user_id": "2244994945", "user_token": "x-user-token-1"}
    return do_add_connector("x", "x-main", {**config, "api_base": api_base, "handle": "@banque_sablier"})


def add_meta(
    kind: str, owner: str, owner_id: str, graph_base: str = "https://graph.facebook.com/v21.0"
) -> Any:
    config = {"app_secret": META_SECRET, "verify_token": "verify-me-please", "access_token": "page-token-1"}
    return do_add_connector(kind, f"{kind}-main", {**config, owner: owner_id, "graph_base": graph_base})


def add_google(api_base: str) -> ConnectorAccount:
    config = {"push_token": PUSH_TOKEN, "access_token": "ya29.google-token", "api_base": api_base}
    return do_add_connector("google_reviews", "reviews-main", config)


def post_x(body: bytes, secret: str = X_SECRET) -> Any:
    headers = {"x-twitter-webhooks-signature": b64_signature(secret, body)}
    return Client().post("/api/inbound/x-main", body, content_type="application/json", headers=headers)


def post_meta(name: str, body: bytes, secret: str = META_SECRET) -> Any:
    headers = {"X-Hub-Signature-256": hex_signature(secret, body)}
    return Client().post(f"/api/inbound/{name}", body, content_type="application/json", headers=headers)


def pubsub_push(notification: bytes, message_id: str = "9876543210") -> bytes:
    data = base64.b64encode(notification).decode()
    message = {"data": data, "messageId": message_id, "publishTime": "2026-11-27T09:30:02.000Z"}
    return json.dumps({"message": message, "subscription": "projects/sablier/subscriptions/reviews"}).encode()


def post_google(body: bytes, token: str = PUSH_TOKEN) -> Any:
    return Client().post(f"/api/inbound/reviews-main?token={token}", body, content_type="application/json")
