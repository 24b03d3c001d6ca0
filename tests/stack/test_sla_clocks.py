"""A case's clock in business time: due times, warning, breach and escalation once, the API's view."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from sablier.cases.models import Case, CaseEvent
from sablier.notify.models import Notification
from sablier.sla.escalation import check_clocks
from sablier.sla.models import CaseClock
from sablier.sla.policy import do_apply_sla_config
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, approve_pending, client_of, mention_payload

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Toronto")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    now = [datetime(2026, 11, 30, 10, tzinfo=MONTREAL)]  # a Monday
    monkeypatch.setattr("django.utils.timezone.now", lambda: now[0])
    return now


def _complaint(api: ApiClient) -> int:
    case_id = int(api.post("/api/mentions", mention_payload()).json()["case_id"])
    run_single_cycle()
    assert Case.objects.get(pk=case_id).intent == "complaint"
    return case_id


def test_it_counts_a_friday_evening_complaint_from_monday_morning(
    api: ApiClient, clock: list[datetime]
) -> None:
    clock[0] = datetime(2026, 11, 27, 16, 30, tzinfo=MONTREAL)
    case_id = _complaint(api)
    due = CaseClock.objects.get(case_id=case_id).first_response_due
    assert due == datetime(2026, 11, 30, 9, 30, tzinfo=MONTREAL)


def test_it_warns_then_breaches_then_escalates_once_each(api: ApiClient, clock: list[datetime]) -> None:
    client_of("samir", ["customer-service"])
    case_id = _complaint(api)
    assert check_clocks(clock[0] + timedelta(minutes=40)) == 0
    assert (
        check_clocks(clock[0] + timedelta(minutes=50)) == check_clocks(clock[0] + timedelta(minutes=55)) + 1
    )
    assert (
        check_clocks(clock[0] + timedelta(minutes=61)) == check_clocks(clock[0] + timedelta(minutes=62)) + 1
    )
    kinds = list(Notification.objects.filter(case_id=case_id).values_list("kind", "user__username"))
    assert sorted(k for k in kinds if k[0].startswith("sla")) == [
        ("sla.breached", "boss"),
        ("sla.breached", "samir"),
        ("sla.warning", "samir"),
    ]
    verbs = list(
        CaseEvent.objects.filter(case_id=case_id, verb__startswith="sla").values_list("verb", flat=True)
    )
    assert verbs == ["sla warning", "sla breached"]
    assert CaseClock.objects.get(case_id=case_id).breached_first_response


def test_answering_stops_the_first_response_clock(api: ApiClient, clock: list[datetime]) -> None:
    case_id = _complaint(api)
    clock[0] += timedelta(minutes=20)
    api.post(f"/api/cases/{case_id}/drafts", {"text": "We are sorry, an advisor will call you today."})
    for state in ("awaiting_approval", "answered"):
        api.post(f"/api/cases/{case_id}/transition", {"state": state})
        approve_pending(api, case_id)
    assert Case.objects.get(pk=case_id).state == "answered"
    assert check_clocks(clock[0] + timedelta(hours=2)) == 0
    sla = api.get(f"/api/cases/{case_id}").json()["sla"]
    assert sla["first_response"]["state"] == "met" and sla["running"] == "resolution"


def test_closing_stops_and_reopening_resumes_the_resolution_clock(
    api: ApiClient, clock: list[datetime]
) -> None:
    case_id = _complaint(api)
    api.post(f"/api/cases/{case_id}/drafts", {"text": "We are sorry, an advisor will call you today."})
    for state in ("awaiting_approval", "answered", "closed"):
        api.post(f"/api/cases/{case_id}/transition", {"state": state})
        approve_pending(api, case_id)
    before = CaseClock.objects.get(case_id=case_id)
    assert before.resolved_at == clock[0]
    clock[0] += timedelta(days=7)
    api.post(f"/api/cases/{case_id}/transition", {"state": "reopened"})
    after = CaseClock.objects.get(case_id=case_id)
    assert after.resolved_at is None and after.resolution_due == before.resolution_due + timedelta(days=7)


def test_the_case_api_shows_the_clock(api: ApiClient, clock: list[datetime]) -> None:
    case_id = _complaint(api)
    clock[0] += timedelta(minutes=50)
    sla = api.get(f"/api/cases/{case_id}").json()["sla"]
    assert (sla["target"], sla["calendar"], sla["state"]) == ("complaint", "quebec", "warning")
    assert sla["first_response"]["remaining_minutes"] == 10
    assert sla["first_response"]["target_minutes"] == 60 and sla["resolution"]["target_minutes"] == 16 * 60


def test_a_hand_off_follows_the_new_owners_calendar(api: ApiClient, clock: list[datetime]) -> None:
    do_apply_sla_config([], {}, {"customer-service": "", "pr": "france", "central": ""})
    case_id = _complaint(api)
    assert api.post(f"/api/cases/{case_id}/route", {"department": "pr"}).status_code == 200
    clock_row = CaseClock.objects.get(case_id=case_id)
    # started Monday 10:00 Montréal = 16:00 Paris: one business hour in Paris ends at 17:00 Paris
    assert (clock_row.department, clock_row.calendar) == ("pr", "france")
    assert clock_row.first_response_due == datetime(2026, 11, 30, 17, tzinfo=ZoneInfo("Europe/Paris"))


def test_a_crisis_runs_on_a_24_7_clock(api: ApiClient, clock: list[datetime]) -> None:
    clock[0] = datetime(2026, 11, 28, 23, tzinfo=MONTREAL)  # Saturday night
    text = "There is a bomb threat at your downtown branch, people are being evacuated right now!"
    case_id = int(api.post("/api/mentions", mention_payload(text=text)).json()["case_id"])
    run_single_cycle()
    row = CaseClock.objects.get(case_id=case_id)
    assert row.calendar == "24/7" and row.first_response_due - clock[0] <= timedelta(minutes=30)


def test_the_case_page_counts_down_and_the_inbox_card_shows_a_breach(
    api: ApiClient, clock: list[datetime]
) -> None:
    case_id = _complaint(api)
    browser = Client()
    assert browser.login(username="boss", password="pw-boss-123")
    page = browser.get(f"/cases/{case_id}/").content.decode()
    assert 'data-sla-due="2026-11-30T16:00:00+00:00"' in page and "setInterval" in page
    clock[0] += timedelta(hours=2)
    inbox = browser.get("/departments/customer-service/").content.decode()
    assert 'data-sla="breached"' in inbox
