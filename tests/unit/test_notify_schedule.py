"""When a notification leaves and what it says: pure functions, clock given."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from sablier.notify.messages import Item, render
from sablier.notify.schedule import digest_due, is_immediate
from sablier.web.views.stream import _visible

NOW = datetime(2026, 11, 20, 10, 5, tzinfo=UTC)
MONTREAL = ZoneInfo("America/Montreal")


@pytest.mark.parametrize(
    ("urgency", "threshold", "immediate"),
    [("high", "high", True), ("critical", "high", True), ("normal", "high", False), ("low", "normal", False)],
)
def test_it_sends_at_once_from_the_chosen_urgency(urgency: str, threshold: str, immediate: bool) -> None:
    assert is_immediate(urgency, threshold) is immediate


def test_it_waits_for_the_next_full_hour() -> None:
    assert digest_due(NOW, "hourly", 8, UTC) == datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
    assert digest_due(datetime(2026, 11, 20, 11, 0, tzinfo=UTC), "hourly", 8, UTC).hour == 12


def test_it_waits_for_the_daily_hour_in_the_local_zone() -> None:
    # 10:05 UTC is 05:05 in Montreal: 08:00 the same day there
    assert digest_due(NOW, "daily", 8, MONTREAL) == datetime(2026, 11, 20, 8, 0, tzinfo=MONTREAL)
    assert digest_due(NOW, "daily", 8, UTC) == datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    assert digest_due(NOW, "daily", 11, UTC) == datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


def test_it_renders_one_notification_in_french_with_escaped_html() -> None:
    message = render([Item("crisis", "critical", "Menace <script>", 12)], "fr")
    assert message.subject == "[Sablier] Crise (critique) — dossier 12"
    assert message.text == "Crise (critique) — dossier 12: Menace <script>"
    assert "&lt;script&gt;" in message.html and "<script>" not in message.html


def test_it_renders_a_digest_listing_each_one() -> None:
    items = [Item("mention", "low", "a", None), Item("case.routed", "normal", "b", 3)]
    message = render(items, "en")
    assert message.subject == "[Sablier] 2 Sablier notifications"
    assert message.text.splitlines()[1:] == [
        "• You were mentioned (low): a",
        "• Case routed to your department (normal) — case 3: b",
    ]
    assert message.html.count("<li>") == 2


def test_it_streams_a_personal_event_to_its_person_only() -> None:
    event = {"name": "notification.created", "users": [7], "departments": ["legal"]}
    assert _visible(event, central=False, departments=[], user_id=7)
    assert not _visible(event, central=True, departments=["legal"], user_id=8)
    assert not _visible(event, central=True, departments=["legal"])
