"""Notification e-mail against a real SMTP server (aiosmtpd on 127.0.0.1): immediate for high
urgency, one digest for several low ones, retried on 4xx, given up on 5xx, nothing if rolled back."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from sablier.notify.actions import do_notify, do_notify_department
from sablier.notify.channels import do_apply_department_channels
from sablier.notify.delivery import claim_dispatch, deliver_notifications
from sablier.notify.models import Dispatch, Notification
from sablier.notify.preferences import Preferences, Route, do_save_preferences
from sablier.organisation.models import Department
from sablier.organisation.people import do_create_user
from sablier.settings import SmtpServer
from tests.peers.smtp import Inbox, running_smtp

NOW = datetime(2026, 11, 20, 10, 5, tzinfo=UTC)


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    with running_smtp() as server:
        settings.SABLIER = dataclasses.replace(
            settings.SABLIER,
            smtp=SmtpServer("127.0.0.1", server.port, "", "", ""),
            mail_from="hub@sablier.test",
        )
        yield server


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The time do_notify sees; tests move it by setting clock[0]."""
    now = [NOW]
    monkeypatch.setattr("django.utils.timezone.now", lambda: now[0])
    return now


@pytest.fixture
def ana(organisation: None) -> User:
    do_create_user("ana", ["legal"], password="pw-ana-12345")
    user = User.objects.get(username="ana")
    do_save_preferences(user, Preferences(language="fr", routes={"email": Route(True, "ana@example.org")}))
    return user


def notify(user: User, urgency: str, text: str) -> None:
    do_notify([user], "case.routed", f"{text} (en)", f"{text} (fr)", urgency=urgency)


def test_it_mails_a_high_urgency_notification_at_once_in_the_chosen_language(
    inbox: Inbox, clock: list[datetime], ana: User
) -> None:
    notify(ana, "high", "Avocat demandé")
    assert deliver_notifications(NOW) == 1
    [mail] = inbox.messages
    assert (mail["To"], mail["From"], mail["X-Envelope-To"]) == (
        "ana@example.org",
        "hub@sablier.test",
        "ana@example.org",
    )
    assert "Avocat demandé (fr)" in inbox.bodies()[0] and "(en)" not in inbox.bodies()[0]
    assert Dispatch.objects.get().state == "delivered"


def test_it_sends_several_low_ones_as_one_digest_on_the_hour(
    inbox: Inbox, clock: list[datetime], ana: User
) -> None:
    for minutes, text in ((0, "premier"), (15, "deuxième"), (35, "troisième")):
        clock[0] = NOW + timedelta(minutes=minutes)
        notify(ana, "low", text)
    assert deliver_notifications(NOW + timedelta(minutes=50)) == 0 and inbox.messages == []
    assert deliver_notifications(datetime(2026, 11, 20, 11, 0, tzinfo=UTC)) == 3
    [mail] = inbox.messages
    body = inbox.bodies()[0]
    assert "3 notifications" in mail["Subject"]
    assert all(f"{text} (fr)" in body for text in ("premier", "deuxième", "troisième"))
    assert deliver_notifications(datetime(2026, 11, 20, 12, 0, tzinfo=UTC)) == 0 and len(inbox.messages) == 1


def test_it_retries_a_transient_smtp_failure_a_minute_later(
    inbox: Inbox, clock: list[datetime], ana: User
) -> None:
    inbox.answers.append("451 4.3.0 Try again later")
    notify(ana, "critical", "Menace")
    deliver_notifications(NOW)
    row = Dispatch.objects.get()
    assert (row.state, row.attempts, row.next_attempt_at) == ("pending", 1, NOW + timedelta(minutes=1))
    assert "451" in row.last_error and inbox.messages == []
    assert deliver_notifications(NOW + timedelta(seconds=30)) == 0
    assert deliver_notifications(NOW + timedelta(minutes=1)) == 1
    assert len(inbox.messages) == 1 and Dispatch.objects.get().state == "delivered"


def test_it_records_a_permanent_smtp_failure_with_the_error(
    inbox: Inbox, clock: list[datetime], ana: User
) -> None:
    inbox.answers.append("550 5.1.1 No such mailbox")
    notify(ana, "high", "Perdu")
    deliver_notifications(NOW)
    row = Dispatch.objects.get()
    assert (row.state, row.attempts) == ("failed", 1) and "550" in row.last_error
    assert deliver_notifications(NOW + timedelta(days=1)) == 0


def test_it_sends_nothing_for_a_rolled_back_transaction(
    inbox: Inbox, clock: list[datetime], ana: User
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(ana, "critical", "Jamais")
        raise RuntimeError("the case change failed")
    assert (Notification.objects.count(), Dispatch.objects.count()) == (0, 0)
    assert deliver_notifications(NOW + timedelta(days=1)) == 0 and inbox.messages == []


def test_it_lets_only_one_of_two_workers_claim_a_row(inbox: Inbox, clock: list[datetime], ana: User) -> None:
    notify(ana, "high", "Une fois")
    first, second = Dispatch.objects.get(), Dispatch.objects.get()
    assert claim_dispatch(first, NOW) and not claim_dispatch(second, NOW)
    assert deliver_notifications(NOW) == 0 and inbox.messages == []


def test_it_mails_the_department_mailbox_and_members_but_not_who_acted(
    inbox: Inbox, clock: list[datetime], ana: User
) -> None:
    do_create_user("leo", ["legal"], password="pw-leo-12345")
    leo = User.objects.get(username="leo")
    do_save_preferences(leo, Preferences(routes={"email": Route(True, "leo@example.org")}))
    do_apply_department_channels(Department.objects.get(slug="legal"), {"email": "legal@example.org"})
    reached = do_notify_department(
        "legal", "crisis", "Crisis", "Crise", urgency="critical", exclude_user_id=leo.pk
    )
    deliver_notifications(NOW)
    members = User.objects.filter(memberships__department__slug="legal").exclude(pk=leo.pk).count()
    assert reached == members + 1 and not Notification.objects.filter(user=leo).exists()
    assert sorted(m["To"] for m in inbox.messages) == ["ana@example.org", "legal@example.org"]
