"""Matrix notifications against a real homeserver (matrix-synapse on SQLite, started here): the
bot joins the department room it was invited to, posts, and a reader syncing with matrix-nio sees
it; a person gets a direct room. Skips when synapse is missing, unless SABLIER_REQUIRE_PEERS=1."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from nio import AsyncClient, RoomCreateResponse, RoomMessageText

from sablier.notify.actions import do_notify, do_notify_department
from sablier.notify.channels import do_apply_department_channels
from sablier.notify.delivery import deliver_notifications
from sablier.notify.models import Dispatch, MatrixDirectRoom
from sablier.notify.preferences import Preferences, Route, do_save_preferences
from sablier.notify.transports import matrix
from sablier.organisation.models import Department
from sablier.organisation.people import do_create_user
from sablier.settings import MatrixAccount
from tests.peers.process import PeerUnavailable
from tests.peers.synapse import Homeserver, running_synapse

RECENT = {"room": {"timeline": {"limit": 50}}}
BOT, READER = ("sablierbot", "pw-bot-0123456789"), ("reader", "pw-reader-0123456789")


@pytest.fixture(scope="module")
def homeserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Homeserver]:
    try:
        with running_synapse(Path(tmp_path_factory.mktemp("synapse"))) as server:
            server.register(*BOT)
            server.register(*READER)
            yield server
    except PeerUnavailable as exc:
        if os.environ.get("SABLIER_REQUIRE_PEERS") == "1":
            pytest.fail(f"the Matrix homeserver is required here (SABLIER_REQUIRE_PEERS=1): {exc}")
        pytest.skip(f"no Matrix homeserver: {exc}")


@pytest.fixture
def bot(homeserver: Homeserver, settings: Any, monkeypatch: pytest.MonkeyPatch) -> MatrixAccount:
    monkeypatch.setattr(matrix, "_tokens", {})
    monkeypatch.setattr(matrix, "_rooms", {})
    account = MatrixAccount(homeserver.url, f"@{BOT[0]}:localhost", BOT[1], "")
    settings.SABLIER = dataclasses.replace(settings.SABLIER, matrix=account)
    return account


async def _reader(url: str) -> AsyncClient:
    client = AsyncClient(url, f"@{READER[0]}:localhost")
    await client.login(READER[1])
    return client


async def _room_inviting_the_bot(url: str) -> str:
    client = await _reader(url)
    try:
        answer = await client.room_create(name="Legal", invite=[f"@{BOT[0]}:localhost"])
        assert isinstance(answer, RoomCreateResponse), answer
        return str(answer.room_id)
    finally:
        await client.close()


async def _messages_seen_by_reader(url: str, room_id: str | None = None) -> list[RoomMessageText]:
    """What the reader sees after a full sync, accepting any invitation first (the direct room)."""
    client = await _reader(url)
    try:
        first = await client.sync(timeout=0, full_state=True)
        for invited in first.rooms.invite:
            await client.join(invited)
        client.next_batch = None  # type: ignore[assignment]  # a full sync again, not only what is new;
        # the filter makes it a new request: synapse answers a repeated one from its response cache
        answer = await client.sync(timeout=0, full_state=True, sync_filter=RECENT)
        rooms = [room_id] if room_id else list(answer.rooms.join)
        return [
            e for r in rooms for e in answer.rooms.join[r].timeline.events if isinstance(e, RoomMessageText)
        ]
    finally:
        await client.close()


@pytest.mark.django_db
def test_it_posts_to_the_department_room_the_bot_was_invited_to(
    bot: MatrixAccount, organisation: None
) -> None:
    room_id = asyncio.run(_room_inviting_the_bot(bot.homeserver))
    do_apply_department_channels(
        Department.objects.get(slug="legal"), {"matrix_room": room_id, "language": "fr"}
    )
    do_notify_department(
        "legal", "crisis", "Threat in a reply", "Menace dans une réponse", case_id=None, urgency="critical"
    )
    assert deliver_notifications(timezone.now()) >= 1
    assert Dispatch.objects.get(channel="matrix").state == "delivered"
    [message] = asyncio.run(_messages_seen_by_reader(bot.homeserver, room_id))
    assert "Menace dans une réponse" in message.body and "Crise (critique)" in message.body
    assert message.formatted_body and "<b>Crise (critique)</b>" in message.formatted_body
    assert message.sender == f"@{BOT[0]}:localhost"


@pytest.mark.django_db
def test_it_writes_to_a_person_in_one_direct_room_and_logs_in_once(
    bot: MatrixAccount, organisation: None
) -> None:
    do_create_user("rita", ["pr"], password="pw-rita-12345")
    rita = User.objects.get(username="rita")
    do_save_preferences(rita, Preferences(routes={"matrix": Route(True, f"@{READER[0]}:localhost")}))
    do_notify([rita], "mention", "You were asked about the outage", "…", urgency="high")
    deliver_notifications(timezone.now())
    token = dict(matrix._tokens)
    do_notify([rita], "approval.requested", "Please approve the reply", "…", urgency="high")
    deliver_notifications(timezone.now())
    assert matrix._tokens == token and len(token) == 1
    assert MatrixDirectRoom.objects.count() == 1
    bodies = [m.body for m in asyncio.run(_messages_seen_by_reader(bot.homeserver))]
    assert any("asked about the outage" in b for b in bodies) and any(
        "approve the reply" in b for b in bodies
    )


@pytest.mark.django_db
def test_it_gives_up_on_a_room_the_bot_may_not_join(bot: MatrixAccount, organisation: None) -> None:
    do_apply_department_channels(Department.objects.get(slug="hr"), {"matrix_room": "!nowhere:localhost"})
    do_notify_department("hr", "crisis", "x", "x", urgency="critical")
    deliver_notifications(timezone.now())
    row = Dispatch.objects.get(channel="matrix")
    assert row.state == "failed" and "M_" in row.last_error
