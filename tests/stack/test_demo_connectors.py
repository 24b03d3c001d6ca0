"""The demo's connectors: one account of each kind, each with the health that what happened to it
gave (signed deliveries received, or paused until it has real credentials), loaded once, and
never a request to a real network."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from sablier.connectors.base import ConnectorError, ReplyTarget
from sablier.connectors.models import ConnectorAccount, ConnectorLog, Publication
from sablier.connectors.registry import REGISTRY, connector_type, load_builtins
from sablier.connectors.webhooks.inbound import b64_signature
from sablier.demo.connectors import delivery_body, do_load_demo_connectors
from sablier.lib import http
from sablier.listen.models import Mention, RawInbound
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, answer_case

pytestmark = pytest.mark.django_db
STORED = {"x-demo": 3, "facebook-demo": 2, "instagram-demo": 2, "google-reviews-demo": 0}
PAUSED = ("mastodon-demo", "bluesky-demo", "rss-demo", "email-demo")


def _listed(api: ApiClient) -> dict[str, dict[str, object]]:
    return {c["name"]: c for c in api.get("/api/connectors").json()}


def test_it_lists_one_connector_of_each_kind(api: ApiClient) -> None:
    do_load_demo_connectors()
    load_builtins()
    builtin = {kind for kind, c in REGISTRY.items() if type(c).__module__.startswith("sablier.")}
    assert sorted(c["kind"] for c in _listed(api).values()) == sorted(builtin)


def test_it_shows_the_deliveries_each_webhook_account_received(api: ApiClient) -> None:
    do_load_demo_connectors()
    listed = _listed(api)
    for name, stored in STORED.items():
        heard = RawInbound.objects.filter(source=f"connector:{name}").count()
        assert (listed[name]["status"], listed[name]["fetched"], heard) == ("ok", stored, stored)
        assert listed[name]["last_ok_at"] and not listed[name]["last_error"]
        assert ConnectorAccount.objects.get(name=name).cursor["deliveries"]
    assert "deliveries received and verified: 2; mentions stored: 3" in str(
        api.get("/api/connectors/x-demo/log").json()[0]["message"]
    )


def test_it_pauses_the_accounts_that_would_go_on_the_internet(api: ApiClient) -> None:
    do_load_demo_connectors()
    listed = _listed(api)
    for name in PAUSED:
        health = listed[name]
        assert (health["status"], health["fetched"], health["last_ok_at"]) == ("paused", 0, None)
        assert health["next_poll_at"] is None and not health["last_error"]
        note = api.get(f"/api/connectors/{name}/log").json()[0]["message"]
        assert "Démo, en pause" in note and "Demo, paused" in note and "sablier connectors add" in note


def test_it_takes_its_deliveries_through_the_inbound_endpoint_s_checks(organisation: None) -> None:
    now = timezone.now()
    do_load_demo_connectors(now)
    body = delivery_body("x-tweets.json", now)
    secret = ConnectorAccount.objects.get(name="x-demo").config["consumer_secret"]
    headers = {"x-twitter-webhooks-signature": b64_signature(secret, body)}
    answer = Client().post("/api/inbound/x-demo", body, content_type="application/json", headers=headers)
    assert answer.status_code == 200 and answer.json()["replay"] is True


def test_it_loads_the_demo_connectors_once(organisation: None) -> None:
    assert len(do_load_demo_connectors()) == 8
    counts = (ConnectorAccount.objects.count(), Mention.objects.count(), ConnectorLog.objects.count())
    assert do_load_demo_connectors() == []
    assert (ConnectorAccount.objects.count(), Mention.objects.count(), ConnectorLog.objects.count()) == counts


def test_it_reaches_no_network_while_loading_and_working(
    organisation: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(http, "check_destination", lambda host, port: asked.append(host) or "192.0.2.1")
    do_load_demo_connectors()
    run_single_cycle()
    assert asked == [] and Mention.objects.filter(case__isnull=False).count() == sum(STORED.values())
    statuses = {a.name: (a.paused, a.status) for a in ConnectorAccount.objects.all()}
    assert statuses["rss-demo"] == (True, "new") and statuses["x-demo"] == (False, "ok")


def test_it_sends_no_demo_answer_to_a_real_network(
    organisation: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http, "private_addresses_allowed", lambda: False)
    do_load_demo_connectors()
    target = ReplyTarget("2126102133008830002", "2126102133008830002", "@dokafor_to")
    for account in ConnectorAccount.objects.filter(paused=False):
        with pytest.raises(ConnectorError, match=r"refused: 127\.0\.0\.1"):
            connector_type(account.kind).reply(account.config, "Bonjour!", target)


def _answer_a_case_heard_by(api: ApiClient, name: str) -> int:
    """Route, draft, approve and answer the case of the account's first mention; returns its id."""
    run_single_cycle()
    case_id = Mention.objects.filter(raw__source=f"connector:{name}").order_by("pk")[0].case_id
    assert case_id is not None
    answer_case(api, case_id, "Bonjour, un conseiller vous écrit aujourd'hui.", "demo")
    return case_id


@pytest.mark.parametrize("name", ["x-demo", "facebook-demo", "instagram-demo"])
def test_it_leaves_an_approved_demo_answer_for_a_person_to_post_and_says_why(
    api: ApiClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(http, "check_destination", lambda host, port: asked.append(host) or "192.0.2.1")
    do_load_demo_connectors()
    publication = Publication.objects.get(case_id=_answer_a_case_heard_by(api, name))
    assert (publication.state, publication.account.name if publication.account else "") == ("manual", name)
    assert "n'a pas de vrais identifiants réseau" in publication.last_error
    assert "has no real network credentials" in publication.last_error and asked == []
    note = api.get(f"/api/connectors/{name}/log").json()[0]["message"]
    assert note == f"case {publication.case_id}: {publication.last_error}"
    assert not Mention.objects.filter(direction="outbound").exists()  # nothing claims it was published


def test_it_sends_a_demo_account_s_answers_once_it_publishes_itself(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http, "private_addresses_allowed", lambda: False)
    do_load_demo_connectors()
    ConnectorAccount.objects.filter(name="x-demo").update(publish_by_hand="")
    publication = Publication.objects.get(case_id=_answer_a_case_heard_by(api, "x-demo"))
    # the real path, with its destination checks: the made-up API address is refused
    assert publication.state == "failed" and "refused" in publication.last_error
    assert "127.0.0.1" in publication.last_error


def test_it_leaves_by_hand_what_was_queued_before_the_account_stopped_publishing(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http, "private_addresses_allowed", lambda: False)
    do_load_demo_connectors()
    note = ConnectorAccount.objects.get(name="x-demo").publish_by_hand
    ConnectorAccount.objects.filter(name="x-demo").update(publish_by_hand="")
    with monkeypatch.context() as later:
        later.setattr("sablier.workers.cycle.publish_due", lambda now=None, limit=20: 0)
        case_id = _answer_a_case_heard_by(api, "x-demo")  # queued to be sent, not sent yet
    assert Publication.objects.get(case_id=case_id).state == "pending"
    ConnectorAccount.objects.filter(name="x-demo").update(publish_by_hand=note)
    run_single_cycle()
    publication = Publication.objects.get(case_id=case_id)
    assert (publication.state, publication.last_error, publication.next_attempt_at) == ("manual", note, None)
