"""Slack-compatible incoming webhooks against a real local HTTP receiver: {"text": …} JSON,
for a person and for a department; private addresses refused unless allowed."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from sablier.notify.actions import do_notify, do_notify_department
from sablier.notify.channels import do_apply_department_channels
from sablier.notify.delivery import deliver_notifications
from sablier.notify.models import Dispatch
from sablier.notify.preferences import Preferences, Route, do_save_preferences
from sablier.organisation.models import Department
from sablier.organisation.people import do_create_user
from tests.receiver import Receiver


@pytest.fixture
def sam(organisation: None, receiver: Receiver) -> User:
    do_create_user("sam", ["marketing"], password="pw-sam-12345")
    user = User.objects.get(username="sam")
    do_save_preferences(user, Preferences(language="en", routes={"slack": Route(True, receiver.url)}))
    return user


def test_it_posts_slack_json_text_for_a_person(allowed: None, receiver: Receiver, sam: User) -> None:
    do_notify(
        [sam],
        "case.assigned",
        "Case 12 is yours now",
        "Le dossier 12 est à vous",
        case_id=None,
        urgency="high",
    )
    assert deliver_notifications(timezone.now()) == 1
    [sent] = receiver.requests
    body = json.loads(sent["body"])
    assert (
        list(body) == ["text"] and "Case 12 is yours now" in body["text"] and "Le dossier" not in body["text"]
    )
    assert sent["headers"]["Content-Type"] == "application/json"


def test_it_posts_to_the_department_webhook_in_its_language(
    allowed: None, receiver: Receiver, organisation: None
) -> None:
    do_apply_department_channels(
        Department.objects.get(slug="pr"), {"slack_webhook": receiver.url, "language": "fr"}
    )
    do_notify_department("pr", "handoff", "Handed to PR", "Transmis aux RP", urgency="normal")
    deliver_notifications(timezone.now())
    [sent] = receiver.requests
    assert "Transmis aux RP" in json.loads(sent["body"])["text"]


def test_it_retries_a_receiver_error_later(allowed: None, receiver: Receiver, sam: User) -> None:
    receiver.answer(503)
    do_notify([sam], "crisis", "Crisis", "Crise", urgency="critical")
    now = timezone.now()
    deliver_notifications(now)
    row = Dispatch.objects.get()
    assert (row.state, row.next_attempt_at) == ("pending", now + timedelta(minutes=1))
    deliver_notifications(now + timedelta(minutes=1))
    assert len(receiver.requests) == 2 and Dispatch.objects.get().state == "delivered"


def test_it_refuses_a_private_address_for_good(receiver: Receiver, sam: User) -> None:
    do_notify([sam], "crisis", "Crisis", "Crise", urgency="critical")
    deliver_notifications(timezone.now())
    row = Dispatch.objects.get()
    assert row.state == "failed" and "refused" in row.last_error and receiver.requests == []
