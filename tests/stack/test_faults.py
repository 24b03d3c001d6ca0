"""Faults (issue 8, point 4): a worker killed with SIGKILL mid-batch, NATS or PostgreSQL restarted
while mentions pour in, and feeds that hang past the connector's timeout lose no mention and
duplicate no case.

The first three share one hub run as operators scale it out: `sablier run --no-worker` and two
`sablier worker` processes on a private PostgreSQL 15 and a private NATS (JetStream), which these
tests stop and restart. Each posts ~300 mentions of its own, a quarter of them replies, through
the API with a client that tries again until it gets a 2xx answer, strikes while they are being
read, then checks its mentions and the invariants over the whole database. The fourth polls a
local blog in-process. The hub tests run with the suite on PostgreSQL (`make test-pg`); alone:
SABLIER_DATABASE_URL=postgresql://… pytest tests/stack/test_faults.py (minutes: recovery waits for
leases, JetStream's ack wait and the reconciliation pass)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import psycopg
import pytest
from django.utils import timezone

from sablier.cases.models import Case, CaseEvent
from sablier.connectors.actions import do_add_connector
from sablier.connectors.models import ConnectorAccount, ConnectorLog
from sablier.lib import http
from sablier.listen.models import Mention, RawInbound
from sablier.pipeline.models import StageFailure
from sablier.workers.cycle import run_single_cycle
from tests.peers.cluster import Cluster, Ledger, Poster, running_cluster, wait_for
from tests.peers.nats import PrivateNats, private_nats
from tests.peers.postgres import PrivatePostgres, private_postgres

CONVERSATIONS = 220  # + 55 replies + 28 replies to replies = 303 mentions per test
FAULT_AFTER = 80  # mentions of the test accepted before the fault strikes
WARM_SECONDS = 300.0  # processes start and load their models; the machine may be busy
SETTLE_SECONDS = 360.0  # generous even with the default lease (60 s) and reconciliation (30 s)
HUB_ENV = {
    "SABLIER_INGEST_BOUND": "150",  # low enough that a stalled pipeline makes the door answer 429
    # Recovery sooner: a killed worker's leases run out after 20 s, lost work is re-queued within 10 s.
    # A batch that outlives its lease may be taken twice: the stages must still do it once.
    "SABLIER_CLAIM_LEASE_SECONDS": "20",
    "SABLIER_RECONCILE_SECONDS": "5",
}

TEXTS = (
    "My mortgage renewal letter came late and the rate is wrong. Still waiting for a call back ({n}).",
    "Votre application plante chaque fois que je veux payer une facture, ticket {n}.",
    "Thank you for the quick help with my lost card yesterday, case {n}!",
    "Pourquoi mes frais de compte ont augmenté ce mois-ci? Référence {n}.",
    "Is the branch on Main Street open on Saturday mornings? Asking for the {n}th time.",
    "On m'a débité deux fois le même paiement, dossier {n}, personne ne répond.",
)


def mention(external_id: str, n: int, text: str, in_reply_to: str | None = None) -> dict[str, Any]:
    return {
        "network": "mastodon",
        "external_id": external_id,
        "author": {"handle": f"@client{n % 37}@mastodon.social", "display_name": f"Client {n % 37}"},
        "text": text,
        "url": f"https://mastodon.social/@client{n % 37}/{external_id}",
        "created_at": (datetime(2026, 11, 20, 8, tzinfo=UTC) + timedelta(minutes=n)).isoformat(),
        "in_reply_to": in_reply_to,
    }


def traffic(tag: str, conversations: int) -> list[list[dict[str, Any]]]:
    """Conversations in order: a post, for one in four a reply, for one in eight a reply to that."""
    batches = []
    for n in range(conversations):
        post = mention(f"{tag}-{n}", n, TEXTS[n % len(TEXTS)].format(n=n))
        thread = [post]
        if n % 4 == 0:
            thread.append(
                mention(f"{tag}-{n}-a", n + 1, f"Any news? Still nothing ({n}).", post["external_id"])
            )
        if n % 8 == 0:
            thread.append(mention(f"{tag}-{n}-b", n + 2, f"Toujours rien ({n}).", thread[1]["external_id"]))
        batches.append(thread)
    return batches


@dataclass
class Hub:
    postgres: PrivatePostgres
    nats: PrivateNats
    cluster: Cluster
    ledger: Ledger
    poster: Poster

    def figures(self) -> str:
        try:
            counts: Any = self.ledger.counts()
        except psycopg.OperationalError as exc:
            counts = f"(database unreachable: {exc})"
        return f"{counts}; retries {self.poster.retries}; logs in {self.cluster.folder}"

    def settled(self) -> bool:
        """Every accepted mention stored, read and refined; no case left new."""
        counts = self.ledger.counts()
        done = counts["unread"] == counts["unrefined"] == counts["new_cases"] == 0
        return done and counts["mentions"] == len(self.poster.accepted)


@pytest.fixture(scope="module")
def started_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """One hub for the module (starting one takes a minute or two here): each test posts mentions
    of its own and checks them, and the invariants over the whole database."""
    if not os.environ.get("SABLIER_DATABASE_URL"):
        # The hub runs on a private PostgreSQL whatever the suite's database: once per .ci/run is enough.
        pytest.skip("the scale-out fault tests run with the suite on PostgreSQL (make test-pg)")
    folder = tmp_path_factory.mktemp("hub")
    with private_postgres() as postgres, private_nats() as nats:
        url = postgres.create_database("faults")
        token = Cluster(folder, url, nats.url).prepare()
        with running_cluster(folder, url, nats.url, token, HUB_ENV) as cluster:
            hub = Hub(postgres, nats, cluster, Ledger(url), Poster(cluster.web_url, token))
            hub.poster.post_all(traffic("warm", 4))  # the workers load their models on this
            assert wait_for(hub.settled, WARM_SECONDS), f"the warm-up did not settle: {hub.figures()}"
            yield hub


@pytest.fixture
def hub(started_hub: Hub) -> Hub:
    """The module's hub with every server up and two workers, whatever an earlier test left."""
    if not started_hub.postgres.running():
        started_hub.postgres.start()
    if started_hub.nats.process is None:
        started_hub.nats.start()
    while len(started_hub.cluster.workers()) < 2:
        started_hub.cluster.start_worker()
    assert wait_for(started_hub.settled, SETTLE_SECONDS), f"work left over: {started_hub.figures()}"
    return started_hub


def pour(hub: Hub, fault: Callable[[Hub], None]) -> list[list[dict[str, Any]]]:
    """Post a test's traffic; strike once part of it is in and being read; wait until all of it
    has settled. Returns the conversations posted."""
    conversations = traffic(f"m{uuid.uuid4().hex[:6]}", CONVERSATIONS)
    posting = hub.poster.in_background(conversations)
    started = len(hub.poster.accepted)

    def underway() -> bool:
        return len(hub.poster.accepted) - started >= FAULT_AFTER and hub.ledger.counts()["unread"] > 0

    assert wait_for(underway, WARM_SECONDS, 0.1), f"the traffic did not get going: {hub.figures()}"
    assert posting.running(), "the fault must strike while mentions are still coming in"
    fault(hub)
    posting.result(SETTLE_SECONDS)
    assert wait_for(hub.settled, SETTLE_SECONDS, 2.0), f"work was left undone: {hub.figures()}"
    return conversations


def assert_nothing_lost_nothing_doubled(hub: Hub, conversations: list[list[dict[str, Any]]]) -> None:
    posted = sorted(m["external_id"] for thread in conversations for m in thread)
    tag = posted[0].partition("-")[0]
    assert sorted(i for i in hub.poster.accepted if i.startswith(f"{tag}-")) == posted  # 2xx once each
    assert sorted(hub.ledger.external_ids(f"{tag}-")) == posted, hub.figures()  # stored once each
    assert hub.ledger.cases_of(f"{tag}-") == len(conversations), hub.figures()  # one per conversation
    counts = hub.ledger.counts()
    assert counts["raw"] == counts["mentions"] == len(hub.poster.accepted), hub.figures()
    assert counts["unread"] == counts["unrefined"] == 0, hub.figures()
    assert hub.ledger.stray_replies() == []  # each reply in its parent's case
    assert hub.ledger.untriaged() == []
    assert hub.ledger.repeated_events() == []  # no case triaged or routed twice
    assert counts["dead"] == 0, hub.figures()


def restart_nats(during: list[int], forget_store: bool = False) -> Callable[[Hub], None]:
    """Stop NATS while the door takes more mentions (each waits for its queue publish to time out),
    then start it again; `during` receives how many came in meanwhile."""

    def restart(hub: Hub) -> None:
        hub.nats.stop()
        if forget_store:
            hub.nats.forget_store()  # the messages waiting there are gone: the database must tell
        before = len(hub.poster.accepted)
        wait_for(lambda: len(hub.poster.accepted) - before >= 5, 90.0, 0.2)
        during.append(len(hub.poster.accepted) - before)
        hub.nats.start()

    return restart


def test_it_loses_nothing_when_nats_restarts(hub: Hub) -> None:
    during: list[int] = []
    conversations = pour(hub, restart_nats(during))
    assert during[0] > 0, "no mention came in while NATS was down"
    assert_nothing_lost_nothing_doubled(hub, conversations)


def test_it_loses_nothing_when_postgresql_restarts(hub: Hub) -> None:
    refused: list[int] = []

    def crash_and_restart_postgresql(hub: Hub) -> None:
        before = hub.poster.failures()
        hub.postgres.crash()  # open transactions die; at start, recovery replays the WAL
        wait_for(lambda: hub.poster.failures() - before >= 8, 30.0, 0.2)
        refused.append(hub.poster.failures() - before)
        hub.postgres.start()

    conversations = pour(hub, crash_and_restart_postgresql)
    assert refused[0] > 0, "no request met the database down"
    assert_nothing_lost_nothing_doubled(hub, conversations)


def test_it_loses_nothing_when_a_worker_is_killed_mid_batch(hub: Hub) -> None:
    orphaned: list[int] = []  # leases each killed worker left behind

    def kill_a_worker_holding_leases() -> bool:
        for worker in hub.cluster.workers():
            if hub.ledger.held_by(worker.pid):
                hub.cluster.kill(worker)
                orphaned.append(hub.ledger.held_by(worker.pid))
                return True
        return False

    def kill_mid_batch(hub: Hub) -> None:
        while not any(orphaned) and len(orphaned) < 3:  # a batch may end between the look and the kill
            if orphaned:
                hub.cluster.start_worker()
            assert wait_for(kill_a_worker_holding_leases, WARM_SECONDS, 0.02), f"no lease: {hub.figures()}"

    conversations = pour(hub, kill_mid_batch)
    assert any(orphaned), f"each worker was killed between two batches, not in one: {orphaned}"
    assert len(hub.cluster.workers()) == 1  # the survivor did the dead worker's share
    assert_nothing_lost_nothing_doubled(hub, conversations)


def test_it_loses_nothing_when_nats_comes_back_without_its_store(hub: Hub) -> None:
    during: list[int] = []
    conversations = pour(hub, restart_nats(during, forget_store=True))
    assert during[0] > 0, "no mention came in while NATS was down"
    assert_nothing_lost_nothing_doubled(hub, conversations)


# The connector: a blog whose feeds hang past lib/http's read timeout (10 s) on some requests.

HANG_SECONDS = (http.TIMEOUT.read or 10.0) + 5.0


class Blog(ThreadingHTTPServer):
    """A WordPress-like blog: a posts feed with each article's comment count and comment feed.
    `hangs[path]` plans faults: "silent" answers nothing, "midway" sends headers and half the body;
    both then hold the connection past the client's timeout."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), BlogHandler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.comments: dict[int, list[tuple[int, int | None, str]]] = {}  # article -> (id, parent, text)
        self.hangs: dict[str, list[str]] = {}
        self.served: list[tuple[str, str]] = []
        self.released = threading.Event()

    def guid(self, article: int, comment: int | None = None) -> str:
        return f"{self.base}/blog/?p={article}" + (f"#comment-{comment}" if comment else "")

    def page(self, path: str) -> bytes | None:
        if path == "/blog/feed/":
            return posts_feed(self).encode()
        for article in self.comments:
            if path == f"/blog/p{article}/feed/":
                return comments_feed(self, article).encode()
        return None


def posts_feed(blog: Blog) -> str:
    items = "".join(
        f"<item><title>Article {a}</title><link>{blog.base}/blog/p{a}/</link>"
        f'<guid isPermaLink="false">{blog.guid(a)}</guid><pubDate>Fri, 20 Nov 2026 09:0{a}:00 +0000</pubDate>'
        f"<description>Nouvelles {a}</description>"
        f"<wfw:commentRss>{blog.base}/blog/p{a}/feed/</wfw:commentRss>"
        f"<slash:comments>{len(comments)}</slash:comments></item>"
        for a, comments in sorted(blog.comments.items(), reverse=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wfw="http://wellformedweb.org/'
        'CommentAPI/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:content="http://purl.org/'
        f'rss/1.0/modules/content/"><channel><title>Banque Sablier</title><link>{blog.base}/blog</link>'
        f"{items}</channel></rss>"
    )


def comments_feed(blog: Blog, article: int) -> str:
    items = []
    for comment, parent, text in reversed(blog.comments[article]):
        said = (
            f'<p>En réponse à <a href="{blog.base}/blog/p{article}/#comment-{parent}">Client</a>.</p>'
            if parent
            else ""
        )
        items.append(
            f"<item><title>Par : Client {comment}</title><link>{blog.base}/blog/p{article}/#comment-{comment}"
            f'</link><guid isPermaLink="false">{blog.guid(article, comment)}</guid>'
            f"<pubDate>Fri, 20 Nov 2026 10:{comment:02d}:00 +0000</pubDate>"
            f"<content:encoded><![CDATA[{said}<p>{text}</p>]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/'
        f'modules/content/"><channel><title>Commentaires {article}</title>'
        f"<link>{blog.base}/blog/p{article}/</link>{''.join(items)}</channel></rss>"
    )


class BlogHandler(BaseHTTPRequestHandler):
    server: Blog

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = self.server.page(self.path)
        if body is None:
            self.send_error(404)
            return
        fault = (self.server.hangs.get(self.path) or [""]).pop(0)
        self.server.served.append((self.path, fault or "200"))
        if fault == "silent":
            self.server.released.wait(HANG_SECONDS)
            self.close_connection = True
            return
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if self.headers.get("If-None-Match") == etag and not fault:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        for name, value in (("Content-Type", "application/rss+xml"), ("ETag", etag)):
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if fault == "midway":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.server.released.wait(HANG_SECONDS)
            self.close_connection = True
            return
        self.wfile.write(body)


@pytest.fixture
def blog(allowed: None) -> Iterator[Blog]:
    server = Blog()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()


def poll_once(clock: Clock) -> None:
    """One poll of the connector when it is due, as a worker would, and the pipeline drained."""
    account = ConnectorAccount.objects.get(name="blog")
    if account.next_poll_at is not None and account.next_poll_at > clock.now:
        clock.now = account.next_poll_at
    while run_single_cycle(now=clock.now):
        pass


def poll_until_caught_up(clock: Clock, rounds: int = 12) -> None:
    """Poll until the connector has read every feed without a failure."""
    for _ in range(rounds):
        poll_once(clock)
        account = ConnectorAccount.objects.get(name="blog")
        due = account.next_poll_at
        if account.status == "ok" and "resume" not in account.cursor and due is not None and due > clock.now:
            return


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock.now)
    return clock


@pytest.fixture
def following(blog: Blog, organisation: None, clock: Clock) -> Blog:
    """The hub follows the blog, whose three articles have two comments each so far."""
    blog.comments = {
        a: [(10 * a + k, None, f"Mon taux est faux, commentaire {a}-{k}") for k in (1, 2)] for a in (1, 2, 3)
    }
    do_add_connector("rss", "blog", {"blog_feeds": [f"{blog.base}/blog/feed/"]}, now=clock.now)
    return blog


def assert_every_comment_once(blog: Blog) -> None:
    every = [blog.guid(a, c) for a, comments in blog.comments.items() for c, _, _ in comments]
    assert sorted(RawInbound.objects.values_list("external_id", flat=True)) == sorted(every)
    assert not Mention.objects.filter(reading__isnull=True).exists()
    threads = {(m.in_reply_to.partition("#")[0], m.case_id) for m in Mention.objects.all()}
    assert len(threads) == Case.objects.count() == len(blog.comments)  # one case per article
    triaged = CaseEvent.objects.filter(verb="triaged").values_list("case", flat=True)
    assert sorted(triaged) == sorted(Case.objects.values_list("pk", flat=True))  # once each
    assert not StageFailure.objects.filter(dead=True).exists()


def test_it_reads_every_comment_once_when_feeds_hang_past_the_timeout(following: Blog, clock: Clock) -> None:
    blog = following
    blog.comments[2].append((24, 21, "Même problème ici, toujours pas de rappel."))
    blog.hangs = {"/blog/p2/feed/": ["silent"]}  # after article 1's comments were read
    poll_until_caught_up(clock)
    blog.comments[1].append((15, 11, "Pareil pour moi, lettre reçue en retard."))
    blog.comments[3].append((35, None, "Et les frais de dossier, eux, ont doublé."))
    blog.hangs = {"/blog/feed/": ["midway"]}  # the body stops halfway, the connection stays open
    poll_until_caught_up(clock)
    assert ("/blog/p2/feed/", "silent") in blog.served and ("/blog/feed/", "midway") in blog.served
    # the hangs were timeouts the connector noticed and said so, not short reads taken for feeds
    assert ConnectorLog.objects.filter(level="error", message__contains="ReadTimeout").exists()
    assert ConnectorAccount.objects.get(name="blog").status == "ok"
    assert_every_comment_once(blog)


def test_it_keeps_reading_the_other_feeds_while_one_keeps_timing_out(following: Blog, clock: Clock) -> None:
    blog = following
    poll_until_caught_up(clock)
    blog.comments[1].append((13, 11, "Pareil pour moi, lettre reçue en retard."))
    blog.comments[2].append((23, None, "Toujours pas de rappel."))
    blog.comments[3].append((33, None, "Et les frais de dossier, eux, ont doublé."))
    blog.hangs = {"/blog/p2/feed/": ["silent"] * 10}  # times out at every request
    for _ in range(3):
        poll_once(clock)
    read = set(RawInbound.objects.values_list("external_id", flat=True))
    assert {blog.guid(1, 13), blog.guid(3, 33)} <= read  # the other articles' comments came in
    failing = ConnectorAccount.objects.get(name="blog")
    assert failing.status == "error" and f"{blog.base}/blog/p2/feed/: ReadTimeout" in failing.last_error
    assert blog.served.count(("/blog/p2/feed/", "silent")) == 3  # once per poll, each later than the last
    blog.hangs = {}
    poll_until_caught_up(clock)
    assert_every_comment_once(blog)
