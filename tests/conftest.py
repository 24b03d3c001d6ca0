"""Shared fixtures: the default organisation, people, and an authenticated API client."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sablier.bus import get_bus
from sablier.lib import http
from sablier.organisation.apply import do_apply_organisation
from sablier.organisation.config import load_organisation
from sablier.organisation.people import do_create_user
from sablier.organisation.tokens import do_create_token
from sablier.workers.cycle import run_single_cycle
from tests.receiver import Receiver, running_receiver

_ids = itertools.count(1)


def mention_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "network": "mastodon",
        "external_id": f"1100000000000{next(_ids):05d}",
        "author": {
            "handle": "@client@mastodon.social",
            "display_name": "A client",
            "profile_url": "https://mastodon.social/@client",
        },
        "text": "My mortgage renewal letter came late and the rate is wrong. Still waiting for a call back.",
        "url": "https://mastodon.social/@client/1",
        "created_at": "2026-11-20T14:05:00Z",
    }
    payload.update(overrides)
    return payload


class ApiClient:
    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return self.client.post(path, data, content_type="application/json", headers=self.headers)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, json.dumps(body), content_type="application/json", headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


def client_of(name: str, departments: list[str], lead: bool = False) -> ApiClient:
    """A new person of the organisation, with a token."""
    do_create_user(name, departments, password=f"pw-{name}-123", lead=lead)
    return ApiClient(do_create_token(get_user_model().objects.get(username=name), "tests"))


@pytest.fixture
def organisation(db: None) -> None:
    do_apply_organisation(load_organisation(None))


@pytest.fixture
def admin(organisation: None) -> Any:
    do_create_user("boss", ["central"], password="pw-boss-123", lead=True)
    return get_user_model().objects.get(username="boss")


@pytest.fixture
def api(admin: Any) -> ApiClient:
    return ApiClient(do_create_token(admin, "tests"))


@pytest.fixture
def marketing_api(organisation: None) -> ApiClient:
    do_create_user("noah", ["marketing"], password="pw-noah-123")
    return ApiClient(do_create_token(get_user_model().objects.get(username="noah"), "tests"))


def approve_pending(api: ApiClient, case_id: int) -> None:
    """Say yes to every approval the caller may decide on the case."""
    for approval in api.get(f"/api/cases/{case_id}").json()["approvals"]:
        if approval["yours"]:
            response = api.post(f"/api/cases/{case_id}/approvals/{approval['id']}", {"decision": "approved"})
            assert response.status_code == 200, response.json()


def answer_case(api: ApiClient, case_id: int, text: str, reason: str) -> None:
    """Route the case to the central team if nobody owns it yet, draft `text`, get it approved and
    answer, then let the worker queue the publication."""
    if api.get(f"/api/cases/{case_id}").json()["state"] in ("triaged", "monitor_only"):  # not routed
        api.post(f"/api/cases/{case_id}/route", {"department": "central", "reason": reason})
    api.post(f"/api/cases/{case_id}/drafts", {"text": text})
    api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    approve_pending(api, case_id)
    assert api.post(f"/api/cases/{case_id}/transition", {"state": "answered"}).status_code == 200
    run_single_cycle()


@pytest.fixture
def received() -> Iterator[list[dict[str, Any]]]:
    """Every event published on the in-process bus during the test."""
    events: list[dict[str, Any]] = []
    unsubscribe = get_bus().subscribe(events.append)
    yield events
    unsubscribe()


COMPLAINT = "My mortgage renewal letter came late and the rate is wrong. Still waiting for a call back."


def triaged_case(api: ApiClient, text: str = COMPLAINT) -> int:
    """Post a mention and let the worker read and route it; returns the case id."""
    case_id = int(api.post("/api/mentions", mention_payload(text=text)).json()["case_id"])
    run_single_cycle()
    return case_id


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real local HTTP server that records what it receives."""
    with running_receiver() as server:
        yield server


@pytest.fixture
def allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let outbound HTTP reach the loopback receiver."""
    monkeypatch.setattr(http, "private_addresses_allowed", lambda: True)
