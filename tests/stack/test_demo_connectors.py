"""The demo's connectors: one account of each kind, each with the health that what happened to it
gave (signed deliveries received, or paused until it has real credentials), loaded once, and
never a request to a real network."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from sablier.connectors.base import ConnectorError, ReplyTarget
from sablier.connectors.models import ConnectorAccount, ConnectorLog
from sablier.connectors.registry import REGISTRY, connector_type, load_builtins
from sablier.connectors.webhooks.inbound import b64_signature
from sablier.demo.connectors import delivery_body, do_load_demo_connectors
from sablier.lib import http
from sablier.listen.models import Mention, RawInbound
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient

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
