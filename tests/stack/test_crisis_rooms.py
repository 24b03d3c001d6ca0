"""A burst of angry "panne" / "outage" posts: one alert to PR, legal and the central team, one crisis
room holding the cases, promotion on the topic paused — and a second cycle raises nothing new."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sablier.cases.models import Case, CaseEvent
from sablier.crisis.models import CrisisRoom, TopicAlarm
from sablier.crisis.settings_store import do_apply_crisis_config
from sablier.notify.models import Notification
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, client_of, mention_payload

pytestmark = pytest.mark.django_db

SECTION = {
    "watch": [{"fr": "fuite de données", "en": "data breach"}],
    "topics": [{"fr": "panne", "en": "outage"}],
}
TEXTS = (
    "Encore une panne de l'application, impossible de payer à l'épicerie. Inacceptable.",
    "Total outage again, the app is down and my card was declined at the store. Terrible service.",
)


def _post_burst(api: ApiClient, count: int = 40, minutes: int = 10, first: int = 0) -> None:
    now = timezone.now()
    for i in range(first, first + count):
        at = now - timedelta(seconds=minutes * 60 * (i - first) / count)
        payload = mention_payload(
            external_id=f"crisis-{i}",
            author={"handle": f"@angry{i}@mastodon.social", "display_name": f"Client {i}"},
            url=f"https://mastodon.social/@angry{i}/{i}",
            text=f"{TEXTS[i % 2]} ({i})",
            created_at=at.isoformat(),
        )
        assert api.post("/api/mentions", payload).status_code == 201


def _campaign(api: ApiClient, topics: list[str]) -> Any:
    body = {
        "purpose": "marketing",
        "channel": "email",
        "subject": "Nouvelle appli!",
        "topics": topics,
        "text": "Découvrez notre nouvelle application mobile.",
        "recipients": [{"email": "a@example.com"}],
        "scheduled_at": (timezone.now() + timedelta(days=1)).isoformat(),
    }
    return api.post("/api/posts", body).json()


def test_it_opens_one_crisis_room_tells_the_crisis_team_and_freezes_promotion(api: ApiClient) -> None:
    do_apply_crisis_config(SECTION)
    pr, legal = client_of("ines", ["pr"]), client_of("marc", ["legal"])
    marketing = client_of("noah", ["marketing"])
    app_post, mortgage_post = _campaign(api, ["application", "app"]), _campaign(api, ["hypothèque"])
    _post_burst(api)
    run_single_cycle()

    rooms = pr.get("/api/crisis").json()
    assert len(rooms) == 1, rooms
    room = rooms[0]
    members = set(
        Case.objects.filter(mentions__external_id__startswith="crisis-").values_list("pk", flat=True)
    )
    assert set(room["case_ids"]) == members and len(members) == 40
    assert "Poisson p" in room["statistic"] and room["topic"] in room["topics"]
    room_case = Case.objects.get(pk=room["room_case_id"])
    assert (room_case.department.slug, room_case.state, room_case.intent, room_case.urgency) == (
        "pr",
        "routed",
        "crisis",
        "critical",
    )
    assert any(room["statistic"] in reason for reason in room_case.reasons)
    told = Notification.objects.filter(kind="crisis", case_id=room_case.pk, urgency="critical")
    assert sorted(told.values_list("user__username", flat=True)) == ["boss", "ines", "marc"]
    assert CaseEvent.objects.filter(verb="crisis.joined").count() == 40
    assert api.get(f"/api/posts/{app_post['id']}").json()["state"] == "paused"
    assert api.get(f"/api/posts/{mortgage_post['id']}").json()["state"] == "scheduled"
    assert legal.get("/api/crisis").json()[0]["id"] == room["id"]
    assert marketing.get("/api/crisis").status_code == 403

    run_single_cycle()
    assert CrisisRoom.objects.count() == 1 and told.count() == 3


def test_it_adds_later_cases_to_the_open_room_and_closes_it(api: ApiClient) -> None:
    do_apply_crisis_config(SECTION)
    _post_burst(api, count=30, minutes=5)
    run_single_cycle()
    _post_burst(api, count=5, minutes=1, first=100)
    run_single_cycle()
    room = CrisisRoom.objects.get()
    assert room.cases.count() == 35
    closed = api.post(f"/api/crisis/{room.pk}/close", {}).json()
    assert closed["closed_at"] is not None and api.get("/api/crisis").json() == []
    assert Case.objects.get(pk=room.room_case_id).state == "closed"
    assert api.post(f"/api/crisis/{room.pk}/close", {}).status_code == 409


def test_it_raises_nothing_for_a_few_angry_posts(api: ApiClient) -> None:
    _post_burst(api, count=3, minutes=10)
    run_single_cycle()
    assert CrisisRoom.objects.count() == 0 and TopicAlarm.objects.count() == 0


def test_it_alerts_on_a_single_watched_keyword(api: ApiClient) -> None:
    do_apply_crisis_config(SECTION)
    text = "Une fuite de données chez Horizon? Mon numéro de compte circule en ligne."
    api.post("/api/mentions", mention_payload(text=text, created_at=timezone.now().isoformat()))
    run_single_cycle()
    room = CrisisRoom.objects.get()
    assert room.topic == "watch:fuite de données / data breach" and room.cases.count() == 1
