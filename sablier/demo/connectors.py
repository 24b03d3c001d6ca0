"""The demo's connector accounts, one of each kind, each showing a health that comes from what
happened to it. The webhook accounts (X, Facebook, Instagram, Google reviews) receive a few
deliveries in their networks' formats, signed with the account's own secret and taken through
`do_receive_delivery`, the path of `/api/inbound/NAME`; they have no real credentials, so the
answers approved on their cases are left for a person to post by hand (`publish_by_hand`), saying
so in French and English. The accounts that would reach out to their network (Mastodon, Bluesky,
RSS, e-mail) point at example hosts and are paused, with a note in their log saying what they
need: the demo never goes on the Internet."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sablier.connectors.actions import do_add_connector, do_pause_connector, log
from sablier.connectors.base import Config
from sablier.connectors.models import ConnectorAccount
from sablier.connectors.webhooks.actions import Receipt, do_receive_delivery
from sablier.connectors.webhooks.inbound import b64_signature, hex_signature
from sablier.demo.connector_notes import NOTES, received

# Where the webhook accounts' answers would go if one were sent despite `publish_by_hand`: lib/http
# refuses loopback addresses (and nothing listens on the discard port where private addresses are
# allowed), so it would fail at home instead of reaching a real network with a made-up token.
NOWHERE = "http://127.0.0.1:9"
MADE_UP = "not-a-real-token"
# "<now-4m:epoch>" in a delivery file: four minutes before loading, in the network's time format
MOMENT = re.compile(r'"<now-(\d+)m:(\w+)>"')
FORMATS: dict[str, Callable[[datetime], object]] = {
    "x_date": lambda t: t.strftime("%a %b %d %H:%M:%S +0000 %Y"),
    "epoch": lambda t: int(t.timestamp()),
    "epoch_ms": lambda t: int(t.timestamp() * 1000),
    "epoch_ms_text": lambda t: str(int(t.timestamp() * 1000)),
    "iso": lambda t: t.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
}
Signed = tuple[dict[str, str], dict[str, str]]  # headers (lower-case names), query
SIGNERS: dict[str, Callable[[Config, bytes], Signed]] = {
    "x": lambda c, body: ({"x-twitter-webhooks-signature": b64_signature(c["consumer_secret"], body)}, {}),
    "facebook": lambda c, body: ({"x-hub-signature-256": hex_signature(c["app_secret"], body)}, {}),
    "instagram": lambda c, body: ({"x-hub-signature-256": hex_signature(c["app_secret"], body)}, {}),
    "google_reviews": lambda c, body: ({}, {"token": c["push_token"]}),
}


@dataclass(frozen=True)
class DemoAccount:
    kind: str
    name: str
    config: Config
    secret_settings: tuple[str, ...] = ()  # filled with a fresh random secret for each hub
    deliveries: tuple[str, ...] = ()  # files in data/deliveries; none: the account stays paused
    label: str = ""  # the network as people name it; set: its answers are left to post by hand


def by_hand(label: str) -> str:
    """Why a demo account's approved answer is not sent, and what to do with it."""
    return (
        f"Démo : ce compte {label} n'a pas de vrais identifiants réseau, la réponse approuvée "
        f"n'est donc pas envoyée. Publiez-la à la main sur {label} si elle doit vraiment partir. / "
        f"Demo: this {label} account has no real network credentials, so the approved answer is "
        f"not sent. Post it by hand on {label} if it must really go out."
    )


def _meta(owner: str, owner_id: str, handle: str) -> Config:
    return {owner: owner_id, "access_token": MADE_UP, "handle": handle, "graph_base": NOWHERE}


DEMO_ACCOUNTS = (
    DemoAccount(
        "x",
        "x-demo",
        {
            "user_id": "1590338201045770241",
            "user_token": MADE_UP,
            "handle": "@CaisseHorizon",
            "api_base": NOWHERE,
        },
        ("consumer_secret",),
        ("x-tweets.json", "x-messages.json"),
        "X",
    ),
    DemoAccount(
        "facebook",
        "facebook-demo",
        _meta("page_id", "104523887812345", "Caisse Horizon"),
        ("app_secret", "verify_token"),
        ("facebook.json",),
        "Facebook",
    ),
    DemoAccount(
        "instagram",
        "instagram-demo",
        _meta("ig_user_id", "17841405822304914", "@caissehorizon"),
        ("app_secret", "verify_token"),
        ("instagram.json",),
        "Instagram",
    ),
    DemoAccount(
        "google_reviews",
        "google-reviews-demo",
        {"access_token": MADE_UP, "api_base": NOWHERE},
        ("push_token",),
        ("google-reviews.json",),
        "Google Business Profile",
    ),
    DemoAccount(
        "mastodon",
        "mastodon-demo",
        {
            "instance_url": "https://mastodon.example.org",
            "access_token": MADE_UP,
            "handle": "@caissehorizon@mastodon.example.org",
            "hashtags": ["CaisseHorizon"],
            "keywords": ["Caisse Horizon", "Horizon Bank"],
        },
    ),
    DemoAccount(
        "bluesky",
        "bluesky-demo",
        {
            "service_url": "https://pds.example.org",
            "handle": "caissehorizon.example.org",
            "app_password": MADE_UP,
            "firehose_url": "wss://relay.example.org",
            "plc_url": "https://plc.example.org",
            "keywords": "Caisse Horizon, Horizon Bank",
        },
    ),
    DemoAccount(
        "rss",
        "rss-demo",
        {
            "blog_feeds": ["https://blog.example.org/feed/"],
            "feeds": ["https://news.example.com/feed.atom"],
            "keywords": ["Caisse Horizon", "Horizon Bank"],
        },
    ),
    DemoAccount(
        "email",
        "email-demo",
        {
            "imap_host": "imap.example.org",
            "username": "service@example.org",
            "password": MADE_UP,
            "smtp_host": "smtp.example.org",
            "address": "service@example.org",
            "display_name": "Caisse Horizon",
        },
    ),
)


def delivery_body(file: str, now: datetime) -> bytes:
    """A demo delivery as the network sends it, its times placed just before `now`."""
    text = resources.files("sablier.demo").joinpath(f"data/deliveries/{file}").read_text(encoding="utf-8")

    def moment(match: re.Match[str]) -> str:
        when = now.astimezone(UTC) - timedelta(minutes=int(match.group(1)))
        return json.dumps(FORMATS[match.group(2)](when), ensure_ascii=False)

    return MOMENT.sub(moment, text).encode()


def _receive(account: ConnectorAccount, files: tuple[str, ...], now: datetime) -> list[Receipt]:
    receipts = []
    for file in files:
        body = delivery_body(file, now)
        headers, query = SIGNERS[account.kind](account.config, body)
        receipts.append(do_receive_delivery(account.name, body, headers, query, now))
    return receipts


def _add(demo: DemoAccount, now: datetime) -> None:
    fresh = {name: secrets.token_urlsafe(24) for name in demo.secret_settings}
    with transaction.atomic():
        note = by_hand(demo.label) if demo.label else ""
        account = do_add_connector(demo.kind, demo.name, {**demo.config, **fresh}, now, note)
        if not demo.deliveries:
            do_pause_connector(account, paused=True, now=now)
            log(account, "info", NOTES[demo.kind], now, demo=True)
            return
        receipts = _receive(account, demo.deliveries, now)
        stored, rejected = sum(r.stored for r in receipts), sum(r.rejected for r in receipts)
        log(account, "info", received(demo.kind, len(receipts), stored), now, demo=True, rejected=rejected)


def do_load_demo_connectors(now: datetime | None = None) -> list[str]:
    """Add each kind's demo account, unless the hub already has an account of that kind (or by that
    name); returns the names added. Call it after the demo mentions: those load only into an
    empty hub, and the webhook deliveries bring mentions."""
    now = now or timezone.now()
    added = []
    for demo in DEMO_ACCOUNTS:
        if not ConnectorAccount.objects.filter(Q(kind=demo.kind) | Q(name=demo.name)).exists():
            _add(demo, now)
            added.append(demo.name)
    return added
