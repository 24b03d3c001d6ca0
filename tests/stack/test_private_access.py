"""An HR case is invisible to marketing through every endpoint, mentioned or consulted; every read of
it by HR or the central team is in its audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sablier.bus import get_bus
from sablier.cases.models import CaseEvent
from sablier.notify.models import Notification
from sablier.web.views.stream import _visible
from tests.conftest import ApiClient, approve_pending, client_of, triaged_case

pytestmark = pytest.mark.django_db

JOB = "Bonjour, j'ai vu une offre d'emploi de conseiller, comment postuler?"
PRAISE = "Love the new branch, the staff were wonderful!"
COMPLAINT = "My mortgage renewal letter came late and the rate is wrong. Still waiting for a call back."


@pytest.fixture
def people(api: ApiClient) -> dict[str, ApiClient]:
    return {
        "boss": api,
        "julie": client_of("julie", ["hr"], lead=True),
        "noah": client_of("noah", ["marketing"]),
    }


@pytest.fixture
def hr_case(people: dict[str, ApiClient]) -> int:
    case_id = triaged_case(people["boss"], JOB)
    assert people["boss"].get(f"/api/cases/{case_id}").json()["department"] == "hr"
    return case_id


@pytest.fixture
def received(transactional_db: None) -> Iterator[list[dict[str, Any]]]:
    """What the bus publishes while the test runs (events leave after commit: a transactional test)."""
    events: list[dict[str, Any]] = []
    unsubscribe = get_bus().subscribe(events.append)
    yield events
    unsubscribe()


def _ids(response: Any) -> list[int]:
    return [c["id"] for c in response.json()["items"]]


def _not_found_like_a_missing_case(response: Any, case_id: int, missing: Any) -> None:
    assert response.status_code == missing.status_code == 404
    assert response.json() == {
        **missing.json(),
        "error": missing.json()["error"].replace("999999", str(case_id)),
    }


def test_it_leaves_the_hr_case_out_of_a_marketing_list_and_search(
    people: dict[str, ApiClient], hr_case: int
) -> None:
    praise = triaged_case(people["boss"], PRAISE)
    noah = people["noah"]
    assert _ids(noah.get("/api/cases")) == [praise]
    assert _ids(noah.get("/api/cases", q="emploi")) == []
    assert _ids(noah.get("/api/cases", department="hr")) == []
    assert _ids(noah.get("/api/cases", intent="job")) == []
    assert _ids(people["boss"].get("/api/cases", q="emploi")) == [hr_case]
    assert _ids(people["julie"].get("/api/cases", q="emploi")) == [hr_case]


def test_it_answers_a_marketing_read_of_the_hr_case_exactly_like_a_missing_one(
    people: dict[str, ApiClient], hr_case: int
) -> None:
    noah = people["noah"]
    for path in ("", "/canned"):
        _not_found_like_a_missing_case(
            noah.get(f"/api/cases/{hr_case}{path}"), hr_case, noah.get(f"/api/cases/999999{path}")
        )
    assert people["julie"].get(f"/api/cases/{hr_case}/canned").status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("comments", {"text": "hello"}),
        ("drafts", {"text": "hello"}),
        ("presence", {}),
        ("claim", {}),
        ("release", {}),
        ("assign", {"user": "noah"}),
        ("handoff", {"department": "marketing", "reason": "ours"}),
        ("handback", {"reason": "ours"}),
        ("transition", {"state": "closed"}),
        ("route", {"department": "marketing"}),
    ],
)
def test_it_refuses_every_action_of_marketing_on_the_hr_case_as_not_found(
    people: dict[str, ApiClient], hr_case: int, path: str, body: dict[str, Any]
) -> None:
    noah = people["noah"]
    _not_found_like_a_missing_case(
        noah.post(f"/api/cases/{hr_case}/{path}", body), hr_case, noah.post(f"/api/cases/999999/{path}", body)
    )
    assert people["boss"].get(f"/api/cases/{hr_case}").json()["department"] == "hr"
    assert not CaseEvent.objects.filter(case_id=hr_case, actor__username="noah").exists()


def test_it_leaves_the_hr_case_out_of_a_marketing_export(people: dict[str, ApiClient], hr_case: int) -> None:
    praise = triaged_case(people["boss"], PRAISE)
    rows = b"".join(people["noah"].get("/api/cases/export.csv").streaming_content).decode().splitlines()
    assert [r.split(",")[0] for r in rows] == ["id", str(praise)]
    assert "emploi" not in "\n".join(rows)
    central = b"".join(people["boss"].get("/api/cases/export.csv").streaming_content).decode()
    assert f"\n{hr_case},routed,hr," in central.replace("\r\n", "\n") and "emploi" in central


def test_it_hides_the_hr_case_page_from_marketing_in_the_browser(
    people: dict[str, ApiClient], hr_case: int
) -> None:
    browser = Client()
    browser.login(username="noah", password="pw-noah-123")
    assert browser.get(f"/cases/{hr_case}/").status_code == 404
    assert "emploi" not in browser.get("/departments/marketing/").content.decode()


def test_it_keeps_every_live_event_of_the_hr_case_from_a_marketing_stream(
    people: dict[str, ApiClient], hr_case: int, received: list[dict[str, Any]]
) -> None:
    julie = people["julie"]
    julie.post(f"/api/cases/{hr_case}/presence", {"drafting": True})
    julie.post(f"/api/cases/{hr_case}/comments", {"text": "Send the careers page link."})
    julie.post(f"/api/cases/{hr_case}/drafts", {"text": "Merci! Voyez notre page carrières."})
    julie.post(f"/api/cases/{hr_case}/transition", {"state": "awaiting_approval"})
    case_events = [e for e in received if e.get("case_id") == hr_case]
    names = {e["name"] for e in case_events}
    assert {"case.presence", "case.commented", "case.drafted", "case.moved"} <= names
    noah_id = User.objects.get(username="noah").pk
    assert [e for e in case_events if _visible(e, False, ["marketing"], noah_id)] == []
    assert all(_visible(e, False, ["hr"]) for e in case_events if "users" not in e)


def test_it_tells_marketing_nothing_when_mentioned_on_the_hr_case(
    people: dict[str, ApiClient], hr_case: int, received: list[dict[str, Any]]
) -> None:
    text = "@noah @marketing the candidate Jeanne Tremblay asks about the advisor job"
    assert people["julie"].post(f"/api/cases/{hr_case}/comments", {"text": text}).status_code == 201
    assert people["noah"].get(f"/api/cases/{hr_case}").status_code == 404
    noah_id = User.objects.get(username="noah").pk
    assert [e for e in received if _visible(e, False, ["marketing"], noah_id)] == []
    assert not Notification.objects.filter(user_id=noah_id).exists()
    assert "Tremblay" not in people["noah"].get("/api/notifications").content.decode()
    commented = CaseEvent.objects.filter(case_id=hr_case, verb="commented").last()
    assert commented is not None and commented.detail["not_told"] == ["marketing", "noah"]


def test_it_hides_a_case_handed_to_hr_from_marketing_it_consulted(people: dict[str, ApiClient]) -> None:
    boss, noah = people["boss"], people["noah"]
    case_id = triaged_case(boss, COMPLAINT)
    boss.post(f"/api/cases/{case_id}/comments", {"text": "@marketing @noah is this about the job fair ad?"})
    assert "marketing" in boss.get(f"/api/cases/{case_id}").json()["consulted"]
    assert noah.get(f"/api/cases/{case_id}").status_code == 200
    moved = boss.post(
        f"/api/cases/{case_id}/handoff", {"department": "hr", "reason": "it is a job application"}
    )
    assert moved.status_code == 200 and moved.json()["department"] == "hr"
    assert noah.get(f"/api/cases/{case_id}").status_code == 404
    assert _ids(noah.get("/api/cases")) == []
    assert noah.get("/api/cases/export.csv").getvalue().decode().splitlines()[1:] == []


def test_it_audits_every_read_of_the_hr_case_by_hr_and_the_central_team(
    people: dict[str, ApiClient], hr_case: int
) -> None:
    def viewed() -> list[str]:
        return list(
            CaseEvent.objects.filter(case_id=hr_case, verb="viewed").values_list("actor__username", flat=True)
        )

    before = viewed()
    people["julie"].get(f"/api/cases/{hr_case}")
    people["julie"].get(f"/api/cases/{hr_case}/canned")
    people["boss"].get(f"/api/cases/{hr_case}")
    people["noah"].get(f"/api/cases/{hr_case}")
    assert viewed()[len(before) :] == ["julie", "julie", "boss"]
    people["julie"].post(f"/api/cases/{hr_case}/presence", {})  # a heartbeat shows presence, not the case
    assert len(viewed()) == len(before) + 3


def test_it_shows_the_hr_case_to_the_central_team(people: dict[str, ApiClient], hr_case: int) -> None:
    boss = people["boss"]
    assert hr_case in _ids(boss.get("/api/cases"))
    detail = boss.get(f"/api/cases/{hr_case}").json()
    assert (detail["department"], detail["intent"]) == ("hr", "job")
    assert boss.post(f"/api/cases/{hr_case}/comments", {"text": "HR, please answer."}).status_code == 201
    assert hr_case in _ids(people["julie"].get("/api/cases"))


def test_it_has_the_central_team_approve_an_hr_answer_under_multiple_hub_and_spoke(
    people: dict[str, ApiClient],
) -> None:
    """The corporate hub (pr) approves its unit's answers, but HR's are private: the central team,
    the only other party who may see them, approves and publishes them instead."""
    ines = client_of("ines", ["pr"], lead=True)
    switched = people["boss"].put(
        "/api/organisation/operating-model", {"operating_model": "multiple-hub-and-spoke"}
    )
    assert switched.status_code == 200
    case_id = triaged_case(people["boss"], JOB)
    julie = people["julie"]
    assert (
        julie.post(f"/api/cases/{case_id}/drafts", {"text": "Merci! Voyez notre page carrières."}).status_code
        == 201
    )
    assert [r["approver"] for r in julie.get(f"/api/cases/{case_id}").json()["needs_approval"]] == ["central"]
    assert julie.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"}).status_code == 200
    assert ines.get(f"/api/cases/{case_id}").status_code == 404
    approve_pending(people["boss"], case_id)
    assert people["boss"].post(f"/api/cases/{case_id}/transition", {"state": "answered"}).status_code == 200
