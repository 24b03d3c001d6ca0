"""Collision detection with two live clients: each sees the other on the case, and the second draft
warns before it overwrites the first."""

from __future__ import annotations

import http.client
import json
import queue
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sablier.cases.models import CaseViewer, Draft
from tests.conftest import ApiClient, client_of, triaged_case
from tests.live_server import EventStream

COMPLAINT = "My mortgage renewal letter came late and the rate is wrong. Still waiting for a call back."


@pytest.fixture
def pair(api: ApiClient) -> dict[str, ApiClient]:
    return {
        "samir": client_of("samir", ["customer-service"], lead=True),
        "sara": client_of("sara", ["customer-service"]),
    }


def _beat(who: ApiClient, case_id: int, drafting: bool = False) -> list[dict[str, Any]]:
    response = who.post(f"/api/cases/{case_id}/presence", {"drafting": drafting})
    assert response.status_code == 200, response.json()
    others: list[dict[str, Any]] = response.json()["others"]
    return others


@pytest.mark.django_db
def test_it_shows_two_people_on_one_case_to_each_other(api: ApiClient, pair: dict[str, ApiClient]) -> None:
    case_id = triaged_case(api)
    assert _beat(pair["samir"], case_id) == []
    assert [o["user"] for o in _beat(pair["sara"], case_id, drafting=True)] == ["samir"]
    others = _beat(pair["samir"], case_id)
    assert [(o["user"], o["drafting"]) for o in others] == [("sara", True)]
    assert [v["user"] for v in pair["samir"].get(f"/api/cases/{case_id}").json()["viewers"]] == ["sara"]
    assert [v["user"] for v in pair["sara"].get(f"/api/cases/{case_id}").json()["viewers"]] == ["samir"]
    assert sorted(v["user"] for v in api.get(f"/api/cases/{case_id}").json()["viewers"]) == ["samir", "sara"]


@pytest.mark.django_db
def test_it_forgets_a_viewer_who_left_or_went_quiet(api: ApiClient, pair: dict[str, ApiClient]) -> None:
    case_id = triaged_case(api)
    _beat(pair["samir"], case_id)
    _beat(pair["sara"], case_id)
    assert pair["sara"].delete(f"/api/cases/{case_id}/presence").status_code == 204
    assert pair["samir"].get(f"/api/cases/{case_id}").json()["viewers"] == []
    _beat(pair["sara"], case_id)
    CaseViewer.objects.filter(user__username="sara").update(seen_at=timezone.now() - timedelta(seconds=31))
    assert _beat(pair["samir"], case_id) == []


@pytest.mark.django_db
def test_it_refuses_a_heartbeat_on_a_case_the_person_may_not_see(api: ApiClient) -> None:
    noah = client_of("noah", ["marketing"])
    case_id = triaged_case(api)
    assert noah.post(f"/api/cases/{case_id}/presence", {}).status_code == 404
    assert not CaseViewer.objects.exists()


@pytest.mark.django_db
def test_it_warns_the_second_draft_written_over_an_older_version(
    api: ApiClient, pair: dict[str, ApiClient]
) -> None:
    case_id = triaged_case(api)
    assert (
        pair["sara"].post(f"/api/cases/{case_id}/drafts", {"text": "Sorry, we call you today."}).status_code
        == 201
    )
    blind = pair["samir"].post(f"/api/cases/{case_id}/drafts", {"text": "We are sorry."})
    assert blind.status_code == 409 and blind.json()["code"] == "conflict"
    assert blind.json()["errors"] == [{"field": "based_on", "message": "the latest version is 1, by sara"}]
    assert "sara wrote version 1" in blind.json()["error"]
    stale = pair["samir"].post(f"/api/cases/{case_id}/drafts", {"text": "We are sorry.", "based_on": 0})
    assert stale.status_code == 409 and "you started from version 0" in stale.json()["error"]
    assert Draft.objects.filter(case_id=case_id).count() == 1


@pytest.mark.django_db
def test_it_takes_the_second_draft_based_on_the_latest_version_or_forced(
    api: ApiClient, pair: dict[str, ApiClient]
) -> None:
    case_id = triaged_case(api)
    pair["sara"].post(f"/api/cases/{case_id}/drafts", {"text": "v1 by sara"})
    read = pair["samir"].post(f"/api/cases/{case_id}/drafts", {"text": "v2 by samir", "based_on": 1})
    assert (read.status_code, read.json()["version"]) == (201, 2)
    assert pair["sara"].post(f"/api/cases/{case_id}/drafts", {"text": "v3", "based_on": 1}).status_code == 409
    forced = pair["sara"].post(
        f"/api/cases/{case_id}/drafts", {"text": "v3 by sara", "based_on": 1, "force": True}
    )
    assert (forced.status_code, forced.json()["version"]) == (201, 3)
    assert pair["sara"].post(f"/api/cases/{case_id}/drafts", {"text": "v4, mine again"}).status_code == 201
    drafts = api.get(f"/api/cases/{case_id}").json()["drafts"]
    assert [(d["version"], d["author"]) for d in drafts] == [
        (1, "sara"),
        (2, "samir"),
        (3, "sara"),
        (4, "sara"),
    ]


# -- live: the real server in a thread (tests/stack/conftest.py), two browsers' streams over HTTP --


def _http_beat(address: tuple[str, int], api: ApiClient, case_id: int) -> list[dict[str, Any]]:
    conn = http.client.HTTPConnection(*address, timeout=10)
    conn.request(
        "POST",
        f"/api/cases/{case_id}/presence",
        body=json.dumps({"drafting": True}),
        headers={**api.headers, "Content-Type": "application/json"},
    )
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    assert response.status == 200, body
    others: list[dict[str, Any]] = body["others"]
    return others


def test_it_pushes_a_heartbeat_live_to_the_other_persons_stream(
    live_hub: tuple[str, int], api: ApiClient, pair: dict[str, ApiClient]
) -> None:
    case_id = triaged_case(api)
    client_of("noah", ["marketing"])
    streams = {name: EventStream(live_hub, name) for name in ("samir", "sara", "noah")}
    try:
        assert _http_beat(live_hub, pair["samir"], case_id) == []
        event = streams["sara"].next_event()
        assert (event["name"], event["case_id"], event["user"], event["drafting"]) == (
            "case.presence",
            case_id,
            "samir",
            True,
        )
        assert [o["user"] for o in _http_beat(live_hub, pair["sara"], case_id)] == ["samir"]
        mine = streams["samir"].next_event()  # samir's own beat, then sara's
        assert (mine["user"], streams["samir"].next_event()["user"]) == ("samir", "sara")
        with pytest.raises(queue.Empty):  # marketing is not concerned by the case
            streams["noah"].next_event(seconds=0.5)
    finally:
        for stream in streams.values():
            stream.close()
