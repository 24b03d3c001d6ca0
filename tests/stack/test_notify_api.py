"""/api/notifications: mine only, unread first, marked read; preferences with 422 naming the
field; the live event reaches only its person's stream."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from django.contrib.auth.models import User

from sablier.notify.actions import do_notify
from sablier.web.views.stream import _events
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def boss() -> User:
    return User.objects.get(username="boss")


def put(api: ApiClient, body: Any) -> Any:
    return api.client.put(
        "/api/notifications/preferences", body, content_type="application/json", headers=api.headers
    )


def test_it_lists_my_notifications_unread_first(api: ApiClient, marketing_api: ApiClient) -> None:
    for text in ("first", "second", "third"):
        do_notify([boss()], "mention", text, f"{text} fr", urgency="low")
    do_notify([User.objects.get(username="noah")], "mention", "not yours", "pas à vous")
    first = api.get("/api/notifications").json()["items"]
    api.post(f"/api/notifications/{first[0]['id']}/read", {})
    listed = api.get("/api/notifications").json()
    assert listed["unread"] == 2 and [n["text"] for n in listed["items"]] == ["second", "first", "third"]
    assert listed["items"][2]["read_at"] is not None


def test_it_hides_another_persons_notification(api: ApiClient, marketing_api: ApiClient) -> None:
    do_notify([User.objects.get(username="noah")], "mention", "for noah", "pour noah")
    theirs = marketing_api.get("/api/notifications").json()["items"][0]["id"]
    answer = api.post(f"/api/notifications/{theirs}/read", {})
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


def test_it_saves_preferences_and_shows_them_back(api: ApiClient) -> None:
    chosen = {
        "language": "fr",
        "immediate_from": "normal",
        "digest": "daily",
        "daily_hour": 7,
        "slack": {"on": True, "address": "https://hooks.example.org/T1/B2"},
    }
    assert put(api, chosen).status_code == 200
    shown = api.get("/api/notifications/preferences").json()
    assert (shown["language"], shown["digest"], shown["daily_hour"]) == ("fr", "daily", 7)
    assert shown["slack"] == {"on": True, "address": "https://hooks.example.org/T1/B2", "available": True}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "fr", "email": {"on": True, "address": "not-an-address"}}, "email.address"),
        ({"language": "fr", "matrix": {"on": True, "address": "alice"}}, "matrix.address"),
        ({"language": "fr", "slack": {"on": True}}, "slack.address"),
        ({"language": "de"}, "language"),
        ({"language": "fr", "daily_hour": 24}, "daily_hour"),
    ],
)
def test_it_refuses_bad_preferences_naming_the_field(api: ApiClient, body: Any, field: str) -> None:
    answer = put(api, body)
    assert answer.status_code == 422 and answer.json()["code"] == "validation"
    assert field in [e["field"] for e in answer.json()["errors"]]


def test_it_streams_a_notification_only_to_its_person(
    api: ApiClient, marketing_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    noah = User.objects.get(username="noah")
    loop = asyncio.new_event_loop()
    mine, theirs = asyncio.Queue[dict[str, Any]](), asyncio.Queue[dict[str, Any]]()
    streams = [_events(mine, False, ["marketing"], noah.pk), _events(theirs, True, ["central"], boss().pk)]
    try:
        for stream in streams:
            loop.run_until_complete(stream.__anext__())  # subscribed
        with django_capture_on_commit_callbacks(execute=True):
            do_notify([noah], "case.assigned", "Yours now", "À vous", urgency="high")
        line = loop.run_until_complete(asyncio.wait_for(streams[0].__anext__(), 2))
        assert line.startswith("event: notification.created") and '"Yours now"' in line
        assert theirs.empty()
    finally:
        for stream in streams:
            loop.run_until_complete(stream.aclose())
        loop.close()
