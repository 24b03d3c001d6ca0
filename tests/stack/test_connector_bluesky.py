"""The Bluesky connector against a real PDS and PLC directory on loopback (tests/peers/pds.py):
mentions from the PDS's firehose become cases, the cursor survives restarts, answers are published
in the thread, the stream comes back after the server drops it; rate limits and malformed frames
are replayed by small local servers in Bluesky's formats."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect
from websockets.sync.server import ServerConnection, serve

from sablier.connectors import bluesky
from sablier.connectors.actions import do_add_connector, do_poll_connector
from sablier.connectors.base import ConnectorError, Page, RateLimited
from sablier.connectors.models import ConnectorAccount, ConnectorLog, Publication
from sablier.connectors.registry import connector_type
from sablier.errors import ValidationFailed
from sablier.listen.models import Mention
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, approve_pending
from tests.peers.pds import Account, Pds, running_pds
from tests.peers.process import PeerUnavailable

POST = "app.bsky.feed.post"
RESET = int(datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp())


@pytest.fixture(scope="module")
def pds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pds]:
    try:
        with running_pds(Path(tmp_path_factory.mktemp("pds"))) as server:
            yield server
    except PeerUnavailable as exc:
        if os.environ.get("SABLIER_REQUIRE_PEERS") == "1":
            pytest.fail(f"the Bluesky PDS is required here (SABLIER_REQUIRE_PEERS=1): {exc}")
        pytest.skip(f"no Bluesky PDS: {exc}")


@pytest.fixture
def hub(pds: Pds) -> Account:
    return pds.create_account("hub")  # a fresh hub per test: earlier tests' posts do not concern it


@pytest.fixture
def customer(pds: Pds) -> Account:
    return pds.create_account("customer")


def config_of(pds: Pds, hub: Account, **changes: Any) -> dict[str, Any]:
    return {
        "service_url": pds.url,
        "handle": hub.handle,
        "app_password": hub.password,
        "firehose_url": pds.firehose_url,
        "plc_url": pds.plc_url,
        "start_cursor": 0,  # replay the local PDS from its first event
        **changes,
    }


def connect_hub(pds: Pds, hub: Account, **changes: Any) -> ConnectorAccount:
    return do_add_connector("bluesky", "bsky", config_of(pds, hub, **changes))


def say(
    pds: Pds, who: Account, text: str, reply_to: dict[str, Any] | None = None, **record: Any
) -> dict[str, str]:
    """`who` posts through the PDS's XRPC API, as a Bluesky app would; returns the strong ref."""
    login = {"identifier": who.handle, "password": who.password}
    token = httpx.post(f"{pds.url}/xrpc/com.atproto.server.createSession", json=login).json()["accessJwt"]
    body = {"$type": POST, "text": text, "createdAt": datetime.now(UTC).isoformat(), **record}
    if reply_to:
        root = reply_to.get("root", reply_to)
        body["reply"] = {"root": root, "parent": {"uri": reply_to["uri"], "cid": reply_to["cid"]}}
    answer = httpx.post(
        f"{pds.url}/xrpc/com.atproto.repo.createRecord",
        json={"repo": who.did, "collection": POST, "record": body, "validate": "createdAt" not in record},
        headers={"Authorization": f"Bearer {token}"},
    )
    answer.raise_for_status()
    return {"uri": answer.json()["uri"], "cid": answer.json()["cid"]}


def mention_of(hub: Account, text: str) -> dict[str, Any]:
    start = text.encode().index(f"@{hub.handle}".encode())
    feature = {"$type": "app.bsky.richtext.facet#mention", "did": hub.did}
    index = {"byteStart": start, "byteEnd": start + len(hub.handle) + 1}
    return {"facets": [{"index": index, "features": [feature]}]}


def later(account: ConnectorAccount) -> datetime:
    return ConnectorAccount.objects.get(pk=account.pk).next_poll_at or datetime.now(UTC)


def test_it_checks_the_settings_at_start(db: None) -> None:
    with pytest.raises(ValidationFailed) as refused:
        do_add_connector(
            "bluesky", "bsky", {"handle": "not a handle", "service_url": "ftp://x", "start_cursor": "-1"}
        )
    fields = {e.field for e in refused.value.errors}
    assert fields == {"config.app_password"}
    with pytest.raises(ValidationFailed) as refused:
        do_add_connector("bluesky", "bsky", {"handle": "bank", "app_password": "x", "service_url": "ftp://x"})
    assert {e.field for e in refused.value.errors} == {"config.handle", "config.service_url"}


def test_it_turns_a_mention_on_the_firehose_into_a_case(
    pds: Pds, hub: Account, customer: Account, organisation: None
) -> None:
    text = f"@{hub.handle} my card is blocked since this morning"
    posted = say(pds, customer, text, **mention_of(hub, text))
    connect_hub(pds, hub)
    run_single_cycle()
    mention = Mention.objects.select_related("author").get(external_id=posted["uri"])
    assert mention.case_id is not None
    assert (mention.text, mention.author.handle) == (text, customer.handle)
    assert mention.raw.payload["cid"] == posted["cid"]


def test_it_watches_keywords_without_a_mention(pds: Pds, hub: Account, customer: Account, db: None) -> None:
    posted = say(pds, customer, "Anyone else with a blocked Banque Sablier card today?")
    say(pds, customer, "Lovely weather for a walk")
    account = connect_hub(pds, hub, keywords="banque sablier, carte bloquée")
    assert do_poll_connector(account, datetime.now(UTC)) == 1
    assert Mention.objects.get().external_id == posted["uri"]


def test_it_resumes_from_the_saved_cursor_without_doubles(
    pds: Pds, hub: Account, customer: Account, db: None
) -> None:
    first = say(pds, customer, f"@{hub.handle} my card is blocked")
    account = connect_hub(pds, hub)
    assert do_poll_connector(account, datetime.now(UTC)) == 1
    seq = ConnectorAccount.objects.get().cursor["seq"]
    second = say(pds, customer, f"@{hub.handle} still blocked, please call me")
    bluesky.session._sessions.clear()  # the hub restarts: only the saved cursor remains
    assert do_poll_connector(ConnectorAccount.objects.get(), later(account)) == 1
    assert do_poll_connector(ConnectorAccount.objects.get(), later(account)) == 0
    assert ConnectorAccount.objects.get().cursor["seq"] > seq
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == sorted(
        [first["uri"], second["uri"]]
    )


def test_it_publishes_the_approved_answer_in_the_thread(
    pds: Pds, hub: Account, customer: Account, api: ApiClient
) -> None:
    root = say(pds, customer, f"@{hub.handle} my card is blocked")
    parent = say(pds, customer, f"@{hub.handle} still blocked, I am at the till", reply_to=root)
    connect_hub(pds, hub, mention_author=True)
    run_single_cycle()
    case_id = Mention.objects.get(external_id=parent["uri"]).case_id
    api.post(f"/api/cases/{case_id}/drafts", {"text": "We are sorry, an advisor calls you today."})
    api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    approve_pending(api, case_id)
    assert api.post(f"/api/cases/{case_id}/transition", {"state": "answered"}).status_code == 200
    run_single_cycle()
    sent = Publication.objects.get(case_id=case_id)
    assert (sent.state, sent.last_error) == ("sent", "")
    rkey = sent.external_id.rsplit("/", 1)[-1]
    query = {"repo": hub.did, "collection": POST, "rkey": rkey}
    record = httpx.get(f"{pds.url}/xrpc/com.atproto.repo.getRecord", params=query).json()["value"]
    refs = {
        key: {"uri": record["reply"][key]["uri"], "cid": record["reply"][key]["cid"]}
        for key in ("root", "parent")
    }
    assert refs == {"root": root, "parent": parent}
    assert record["text"] == f"@{customer.handle} We are sorry, an advisor calls you today."
    [facet] = record["facets"]
    assert (facet["index"]["byteStart"], facet["index"]["byteEnd"]) == (0, len(customer.handle) + 1)
    assert [(f["$type"], f["did"]) for f in facet["features"]] == [
        ("app.bsky.richtext.facet#mention", customer.did)
    ]
    run_single_cycle(now=datetime.now(UTC) + timedelta(minutes=1))  # our own reply on the firehose
    assert list(Mention.objects.filter(external_id=sent.external_id).values_list("direction", flat=True)) == [
        "outbound"
    ]


def test_it_posts(pds: Pds, hub: Account, db: None) -> None:
    done = connector_type("bluesky").post(
        config_of(pds, hub, mention_author=True), "Our branches open at 9 today."
    )
    assert done.external_id.startswith(f"at://{hub.did}/{POST}/")
    assert done.raw["record"]["text"] == "Our branches open at 9 today."


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_it_reconnects_and_resumes_when_the_server_drops_the_stream(
    pds: Pds, hub: Account, customer: Account
) -> None:
    config = config_of(pds, hub)
    pages: list[Page] = []
    errors: list[ConnectorError] = []
    stop = threading.Event()
    args = (config, {}, pages.append, stop, errors.append)
    listening = threading.Thread(target=bluesky.listen, args=args, daemon=True)
    listening.start()

    def heard() -> list[str]:
        return [item.raw["uri"] for page in pages for item in page.items]

    before = say(pds, customer, f"@{hub.handle} my card is blocked")
    wait_for(lambda: before["uri"] in heard())
    pds.stop_pds()
    with pytest.raises(ConnectorError) as away:
        connector_type("bluesky").fetch(config, pages[-1].cursor)
    assert away.value.transient
    pds.start()
    after = say(pds, customer, f"@{hub.handle} still blocked after your outage")
    wait_for(lambda: after["uri"] in heard())
    stop.set()
    listening.join(10)
    assert heard() == [before["uri"], after["uri"]]
    seqs = [page.cursor["seq"] for page in pages]
    assert seqs == sorted(set(seqs))
    assert errors and all(e.transient for e in errors)


def test_it_rejects_a_malformed_post_with_the_reason_and_goes_on(
    pds: Pds, hub: Account, customer: Account, db: None
) -> None:
    bad = say(pds, customer, f"@{hub.handle} card blocked", createdAt="yesterday at noon")
    good = say(pds, customer, f"@{hub.handle} my card is blocked")
    account = connect_hub(pds, hub)
    assert do_poll_connector(account, datetime.now(UTC)) == 1
    assert Mention.objects.get().external_id == good["uri"]
    log = ConnectorLog.objects.get(level="warning")
    assert log.message.startswith(f"payload rejected: post {bad['uri']} is malformed: created_at:")
    assert log.detail["raw"]["record"]["createdAt"] == "yesterday at noon"


def first_frame(pds: Pds) -> bytes:
    with connect(f"{pds.firehose_url}/xrpc/com.atproto.sync.subscribeRepos?cursor=0", close_timeout=1) as ws:
        frame = ws.recv(timeout=10)
    assert isinstance(frame, bytes)
    return frame


def test_it_rejects_an_undecodable_frame_and_reads_the_next(pds: Pds, hub: Account) -> None:
    real = first_frame(pds)

    def replay(ws: ServerConnection) -> None:
        ws.send(b"\xa2\x62op\x01\x61t\x67#commit\xff garbage")
        ws.send(real)
        time.sleep(2)

    with serve(replay, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        firehose = f"ws://127.0.0.1:{server.socket.getsockname()[1]}"
        page = connector_type("bluesky").fetch(config_of(pds, hub, firehose_url=firehose), {})
        server.shutdown()
    assert [item.rejected.split(":")[0] for item in page.items] == ["undecodable firehose frame"]
    assert page.cursor == {"seq": 1}


class RateLimiting(BaseHTTPRequestHandler):
    """Every request answered as Bluesky does past a limit: 429 with the ratelimit-* headers."""

    protocol_version = "HTTP/1.1"

    def _limited(self) -> None:
        body = json.dumps({"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}).encode()
        self.send_response(429)
        for name, value in (("ratelimit-limit", "30"), ("ratelimit-remaining", "0")):
            self.send_header(name, value)
        self.send_header("ratelimit-reset", str(RESET))
        self.send_header("ratelimit-policy", "30;w=300")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _limited

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def limited() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), RateLimiting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_it_honours_rate_limits_with_their_reset_time(pds: Pds, hub: Account, limited: str, db: None) -> None:
    reset = datetime.fromtimestamp(RESET, UTC)
    with pytest.raises(RateLimited) as publishing:
        connector_type("bluesky").post(config_of(pds, hub, service_url=limited), "hello")
    assert publishing.value.retry_at == reset
    account = connect_hub(pds, hub, firehose_url=limited.replace("http", "ws"))
    assert do_poll_connector(account, datetime.now(UTC)) == 0
    stopped = ConnectorAccount.objects.get()
    assert (stopped.status, stopped.next_poll_at) == ("error", reset)
    assert "rate-limited" in stopped.last_error


def test_it_stops_on_bad_credentials(pds: Pds, hub: Account, db: None) -> None:
    account = connect_hub(pds, hub, app_password="wrong-password")
    do_poll_connector(account, datetime.now(UTC))
    stopped = ConnectorAccount.objects.get()
    assert (stopped.status, stopped.next_poll_at) == ("error", None)
    assert "check the handle and app_password settings" in stopped.last_error
