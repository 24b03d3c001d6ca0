"""Scheduled reports reach a real SMTP server once per period; dashboards show the same figures;
the organisation file's objectives replace the ones it set before."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sablier.organisation.models import Department
from sablier.organisation.people import do_create_user
from sablier.reports.models import Objective, ReportDispatch
from sablier.reports.schedule import send_due_reports
from sablier.reports.store import do_apply_objectives, objectives_for
from sablier.settings import SmtpServer
from tests.peers.smtp import Inbox, running_smtp
from tests.stack.test_reports_kpis import october

__all__ = ["october"]
MONDAY = datetime(2026, 11, 2, 6, tzinfo=UTC)  # W44 and October have just ended


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    with running_smtp() as server:
        smtp = SmtpServer("127.0.0.1", server.port, "", "", "")
        settings.SABLIER = dataclasses.replace(settings.SABLIER, smtp=smtp, mail_from="hub@sablier.test")
        yield server


def test_it_mails_last_week_s_and_last_month_s_reports_once(october: None, inbox: Inbox) -> None:
    do_create_user("lea", ["customer-service"], password="pw-lea-12345", lead=True)
    User.objects.filter(username="lea").update(email="lea@example.org")
    assert send_due_reports(MONDAY) == 16  # 7 departments and the organisation, 2 periods each
    assert send_due_reports(MONDAY) == 0
    mails = [m for m in inbox.messages if m["To"] == "lea@example.org"]
    assert sorted(str(m["Subject"]).strip() for m in mails) == [
        "Monthly report — Customer service — 2026-10",
        "Weekly report — Customer service — 2026-W44",
    ]
    attached = {part.get_filename(): part.get_content_type() for part in mails[0].iter_attachments()}
    assert set(attached.values()) == {"application/pdf", "text/html"}
    assert ReportDispatch.objects.filter(sent_at__isnull=False).count() == 16


def test_it_sends_nothing_without_an_smtp_server(october: None) -> None:
    assert send_due_reports(MONDAY) == 0 and not ReportDispatch.objects.exists()


def test_it_leaves_a_claimed_report_to_the_worker_that_claimed_it(october: None, inbox: Inbox) -> None:
    ReportDispatch.objects.create(scope="customer-service", period="2026-10", claimed_at=MONDAY)
    send_due_reports(MONDAY)
    assert ReportDispatch.objects.get(scope="customer-service", period="2026-10").sent_at is None


def test_it_shows_the_dashboard_to_the_lead_and_not_to_marketing(october: None) -> None:
    do_create_user("lea", ["customer-service"], password="pw-lea-12345", lead=True)
    do_create_user("noah", ["marketing"], password="pw-noah-12345")
    lead, other = Client(), Client()
    lead.login(username="lea", password="pw-lea-12345")
    other.login(username="noah", password="pw-noah-12345")
    page = lead.get("/dashboard/customer-service/", {"period": "2026-10"})
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<svg") == 7 and "/api/reports/kpis.csv?" in html
    assert (
        lead.get("/api/reports/kpis", {"period": "2026-10", "department": "customer-service"}).json()[
            "volume"
        ]
        == 5
    )
    assert lead.get("/dashboard/").status_code == 200  # the lead's own department
    assert other.get("/dashboard/customer-service/").status_code == 404


def test_it_replaces_the_file_s_objectives_and_keeps_those_set_by_hand(organisation: None) -> None:
    service = Department.objects.get(slug="customer-service")
    Objective.objects.create(department=service, kpi="volume", target=10)
    raw = [
        {
            "department": "customer-service",
            "kpi": "first_response_median_minutes",
            "target": 60,
            "period": "2026-11",
        },
        {"department": "customer-service", "kpi": "first_response_median_minutes", "target": 90},
        {"kpi": "sla_attainment", "target": "90%"},
    ]
    do_apply_objectives(raw)
    do_apply_objectives(raw)
    found = {(o.kpi, o.target) for o in objectives_for("2026-11", "customer-service")}
    assert found == {("first_response_median_minutes", 60.0), ("volume", 10.0)}
    assert [(o.kpi, o.target) for o in objectives_for("2026-W44", None)] == [("sla_attainment", 0.9)]
    assert Objective.objects.count() == 4
