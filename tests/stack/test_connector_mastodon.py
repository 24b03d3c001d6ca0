"""The Mastodon connector against a real server with the Mastodon client API (snac2, started here):
a customer's mention becomes a case, a restart fetches nothing twice, the approved answer is
published in the customer's thread, and a refused token stops the connector. Skips when snac is
missing, unless SABLIER_REQUIRE_PEERS=1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sablier.connectors.actions import access_account, do_add_connector, do_poll_connector
from sablier.connectors.models import ERROR, Publication
from sablier.listen.models import Mention
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, approve_pending
from tests.peers.process import PeerUnavailable
from tests.peers.snac import Snac, running_snac

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Peer:
    snac: Snac
    hub: str  # the hub's token
    customer: str  # the customer's token

    def say(self, text: str, **extra: Any) -> dict[str, Any]:
        """The customer posts; returns once snac has notified the hub of it."""
        status: dict[str, Any] = self.snac.call(
            self.customer, "POST", "/api/v1/statuses", {"status": text, **extra}
        )
        self.snac.wait_for(self.hub, "/api/v1/notifications", status["id"])
        return status


@pytest.fixture(scope="module")
def peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    try:
        with running_snac(Path(tmp_path_factory.mktemp("snac"))) as snac:
            tokens = [snac.token(user, snac.add_user(user)) for user in ("hub", "customer")]
            yield Peer(snac, *tokens)
    except PeerUnavailable as exc:
        if os.environ.get("SABLIER_REQUIRE_PEERS") == "1":
            pytest.fail(f"snac is required here (SABLIER_REQUIRE_PEERS=1): {exc}")
        pytest.skip(f"no Mastodon-API server: {exc}")


@pytest.fixture
def connector(peer: Peer, allowed: None, organisation: None) -> str:
    config = {"instance_url": peer.snac.url, "access_token": peer.hub, "hashtags": ["sablier"]}
    return do_add_connector("mastodon", "hub-mastodon", config).name


def test_it_turns_a_mention_into_a_case_and_a_restart_fetches_nothing_twice(
    peer: Peer, connector: str
) -> None:
    said = peer.say("@hub my card was charged twice this morning #sablier")
    run_single_cycle()
    mention = Mention.objects.get(network="mastodon", external_id=said["id"])
    assert (
        mention.case_id and "charged twice" in mention.text and mention.author.handle.startswith("@customer@")
    )
    restarted = access_account(connector)  # a new runner: only what the database kept
    assert restarted.cursor["notifications"] and do_poll_connector(restarted, timezone.now()) == 0
    later = peer.say("@hub and still no refund")
    assert do_poll_connector(access_account(connector), timezone.now()) == 1
    found = Mention.objects.filter(external_id__in=[said["id"], later["id"]])
    assert sorted(found.values_list("external_id", flat=True)) == sorted([said["id"], later["id"]])


def test_it_publishes_the_approved_answer_in_the_customers_thread(
    peer: Peer, connector: str, api: ApiClient
) -> None:
    said = peer.say("@hub my mortgage renewal letter never came, who can I call?")
    run_single_cycle()
    case_id = Mention.objects.get(external_id=said["id"]).case_id
    assert (
        api.post(
            f"/api/cases/{case_id}/drafts", {"text": "Sorry, an advisor will call you today."}
        ).status_code
        == 201
    )
    for state in ("awaiting_approval", "answered"):
        assert api.post(f"/api/cases/{case_id}/transition", {"state": state}).json()["state"] == state
        approve_pending(api, case_id)
    run_single_cycle()
    publication = Publication.objects.get(case_id=case_id)
    assert publication.state == Publication.SENT, publication.last_error
    reply = peer.snac.call(peer.customer, "GET", f"/api/v1/statuses/{publication.external_id}")
    assert reply["in_reply_to_id"] == said["id"]
    assert reply["content"].count("@customer@") == 1 and "advisor will call" in reply["content"]
    assert Mention.objects.filter(external_id=publication.external_id, direction="outbound").exists()


def test_it_stops_on_a_refused_token_and_names_the_setting(
    peer: Peer, allowed: None, organisation: None
) -> None:
    account = do_add_connector(
        "mastodon", "bad-token", {"instance_url": peer.snac.url, "access_token": "nope"}
    )
    do_poll_connector(account, timezone.now())
    account.refresh_from_db()
    assert account.status == ERROR and account.next_poll_at is None
    assert "access_token" in account.last_error  # snac answers 422, Mastodon 401
