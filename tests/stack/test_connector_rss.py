"""The RSS/Atom connector against real feed files (tests/fixtures/feeds) served by a local HTTP
server that honours ETag / If-Modified-Since, changes between polls, drops a connection and
answers 429 with Retry-After."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from sablier.connectors.actions import do_add_connector, do_poll_connector
from sablier.connectors.models import ConnectorAccount, ConnectorLog, Publication
from sablier.errors import ValidationFailed
from sablier.listen.models import Mention, RawInbound
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, answer_case

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
POSTS, COMMENTS, QUIET = "/blog/feed/", "/blog/2026/11/nouveaux-taux/feed/", "/blog/2026/11/samedi/feed/"
NEWS, NEWS_COMMENTS = "/news/feed.atom", "/news/2026/11/20/renouvellements/comments.atom"


class FeedSite(ThreadingHTTPServer):
    """Paths -> fixture files; a 304 for a matching validator; planned faults ("drop", "429")."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.pages: dict[str, tuple[bytes, str, str]] = {}
        self.faults: dict[str, list[str]] = {}
        self.requests: list[tuple[str, int]] = []

    def serve(self, path: str, fixture: str, modified: str = "Fri, 20 Nov 2026 10:15:02 GMT") -> None:
        body = (FEEDS / fixture).read_text(encoding="utf-8").replace("{base}", self.base).encode()
        self.pages[path] = (body, f'"{hashlib.sha1(body).hexdigest()[:16]}"', modified)

    def url(self, path: str) -> str:
        return self.base + path

    def asked(self, path: str) -> list[int]:
        return [status for asked, status in self.requests if asked == path]


class Handler(BaseHTTPRequestHandler):
    server: FeedSite

    def log_message(self, format: str, *args: object) -> None:
        pass

    def answer(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.server.requests.append((self.path, status))
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        fault = (self.server.faults.get(self.path) or [""]).pop(0)
        if fault == "drop":
            self.server.requests.append((self.path, 0))
            self.close_connection = True
            return
        if fault == "429":
            return self.answer(429, {"Retry-After": "120"}, b"slow down")
        if self.path not in self.server.pages:
            return self.answer(404, {}, b"not found")
        body, etag, modified = self.server.pages[self.path]
        validators = {"ETag": etag, "Last-Modified": modified}
        match = self.headers.get("If-None-Match")
        if match == etag or (match is None and self.headers.get("If-Modified-Since") == modified):
            return self.answer(304, validators)
        kind = "application/atom+xml" if self.path.endswith(".atom") else "application/rss+xml"
        self.answer(200, {**validators, "Content-Type": f"{kind}; charset=UTF-8"}, body)


@pytest.fixture
def site(allowed: None) -> Iterator[FeedSite]:
    server = FeedSite()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.serve(POSTS, "blog-posts.rss")
    server.serve(COMMENTS, "blog-comments-41.rss")
    server.serve(QUIET, "blog-comments-38.rss")
    server.serve(NEWS, "news.atom")
    server.serve(NEWS_COMMENTS, "news-comments-42.atom")
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def blog(site: FeedSite, organisation: None) -> ConnectorAccount:
    return do_add_connector("rss", "blog", {"blog_feeds": [site.url(POSTS)]}, now=timezone.now())


def poll(name: str, now: datetime | None = None) -> int:
    """One poll by a fresh process: the account and its cursor read back from the database."""
    return do_poll_connector(ConnectorAccount.objects.get(name=name), now or timezone.now())


def thread_of(site: FeedSite, comment: int) -> tuple[str, int]:
    mention = Mention.objects.get(external_id=f"{site.base}/blog/?p=41#comment-{comment}")
    return mention.in_reply_to, mention.case_id


def test_it_reads_every_comment_of_the_blog_into_one_thread_per_article(
    site: FeedSite, blog: ConnectorAccount
) -> None:
    assert poll("blog") == 2
    article = f"{site.base}/blog/?p=41"
    (marie_parent, marie_case), (paul_parent, paul_case) = thread_of(site, 7), thread_of(site, 8)
    assert marie_parent == paul_parent == article and marie_case == paul_case
    marie = Mention.objects.get(external_id=f"{article}#comment-7")
    assert marie.author.handle == "Marie Tremblay@127.0.0.1" and marie.text.startswith("Ma lettre de")
    assert "J\u2019attends toujours" in marie.text and marie.url.endswith("/nouveaux-taux/#comment-7")
    assert [site.asked(p) for p in (POSTS, COMMENTS, QUIET)] == [[200], [200], [200]]


def test_it_pays_nothing_for_an_unchanged_feed(site: FeedSite, blog: ConnectorAccount) -> None:
    poll("blog")
    assert poll("blog") == 0
    # one conditional GET answered 304; the comment feeds are not asked: slash:comments did not move
    assert [site.asked(p) for p in (POSTS, COMMENTS, QUIET)] == [[200, 304], [200], [200]]


def test_it_reads_what_changed_and_threads_a_reply_to_a_comment(
    site: FeedSite, blog: ConnectorAccount
) -> None:
    poll("blog")
    site.serve(POSTS, "blog-posts.v2.rss", "Fri, 20 Nov 2026 11:40:31 GMT")
    site.serve(COMMENTS, "blog-comments-41.v2.rss", "Fri, 20 Nov 2026 11:38:00 GMT")
    assert poll("blog") == 1
    parent, case_id = thread_of(site, 9)
    assert parent == f"{site.base}/blog/?p=41#comment-7" and case_id == thread_of(site, 7)[1]
    luc = Mention.objects.get(external_id=f"{site.base}/blog/?p=41#comment-9")
    assert luc.text == "Même chose ici, la lettre indique 6,1 % au lieu de 4,9 %."
    [rejected] = ConnectorLog.objects.filter(account=blog, level="warning")
    assert "neither an id/guid nor a link" in rejected.message
    assert rejected.detail["raw"]["author"] == "Spam Bot"
    assert site.asked(QUIET) == [200] and Mention.objects.count() == 3


def test_it_keeps_only_news_naming_the_organisation_with_their_atom_threads(
    site: FeedSite, organisation: None
) -> None:
    config = {"feeds": [site.url(NEWS)], "keywords": ["Banque Sablier"]}
    do_add_connector("rss", "press", config, now=timezone.now())
    assert poll("press") == 3
    article = Mention.objects.get(external_id="tag:quotidien.example,2026:article-42")
    assert article.text.startswith("Renouvellements hypothécaires") and article.in_reply_to == ""
    assert article.author.profile_url == f"{site.base}/news/auteurs/julie-morin/"
    karim = Mention.objects.get(external_id="tag:quotidien.example,2026:comment-1001")
    sophie = Mention.objects.get(external_id="tag:quotidien.example,2026:comment-1002")
    assert (karim.in_reply_to, sophie.in_reply_to) == (article.external_id, karim.external_id)
    assert article.case_id == karim.case_id == sophie.case_id
    # "Banque Sablierville" is not the organisation: that article and its comments stay unread
    assert site.asked("/news/2026/11/19/banque-du-nord/comments.atom") == []


def test_it_backs_off_when_the_server_drops_the_connection_then_resumes(
    site: FeedSite, blog: ConnectorAccount
) -> None:
    now = timezone.now()
    site.faults[POSTS] = ["drop"]
    assert poll("blog", now) == 0
    failed = ConnectorAccount.objects.get(name="blog")
    assert (failed.status, failed.next_poll_at) == ("error", now + timedelta(seconds=30))
    assert "RemoteProtocolError" in failed.last_error and str(site.url(POSTS)) in failed.last_error
    assert ConnectorLog.objects.get(account=blog, level="error").message.startswith("transient failure")
    assert poll("blog", now + timedelta(seconds=31)) == 2
    assert ConnectorAccount.objects.get(name="blog").status == "ok"


def test_it_honours_retry_after_on_429_without_asking_again(
    site: FeedSite, blog: ConnectorAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = start = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    site.faults[COMMENTS] = ["429"]
    assert poll("blog", now) == 0  # the posts feed and the quiet article's feed are read all the same
    limited = ConnectorAccount.objects.get(name="blog")
    assert limited.status == "error" and f"{site.url(COMMENTS)}: HTTP 429" in limited.last_error
    assert limited.next_poll_at == now + timedelta(seconds=120)  # Retry-After, before the 5-minute poll
    now = start + timedelta(seconds=60)
    assert poll("blog", now) == 0  # polled early: the feed's Retry-After is honoured locally
    assert site.asked(COMMENTS) == [429] and site.asked(POSTS) == [200, 304] and site.asked(QUIET) == [200]
    assert ConnectorAccount.objects.get(name="blog").next_poll_at == start + timedelta(seconds=120)
    assert ConnectorLog.objects.filter(account=blog, level="error").count() == 1  # said once, not per poll
    now = start + timedelta(seconds=120)
    assert poll("blog", now) == 2 and site.asked(COMMENTS) == [429, 200]
    assert ConnectorAccount.objects.get(name="blog").status == "ok"


def test_it_reads_the_other_feeds_while_one_keeps_failing_and_backs_that_one_off(
    site: FeedSite, organisation: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = {"blog_feeds": [site.url(POSTS)], "feeds": [site.url(NEWS)], "keywords": ["Banque Sablier"]}
    do_add_connector("rss", "feeds", config)
    clock = [timezone.now()]
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock[0])
    site.faults[COMMENTS] = ["drop"] * 3
    assert poll("feeds", clock[0]) == 1 + 2  # the news article and its comments, past the failing feed
    for retry, in_a_row in ((30, "2 failures in a row"), (60, "3 failures in a row")):
        clock[0] += timedelta(seconds=retry - 1)
        assert poll("feeds", clock[0]) == 0  # not due yet: not asked
        clock[0] += timedelta(seconds=1)
        assert poll("feeds", clock[0]) == 0
        failing = ConnectorAccount.objects.get(name="feeds")
        assert failing.status == "error" and in_a_row in failing.last_error
        assert site.url(COMMENTS) in failing.last_error and "RemoteProtocolError" in failing.last_error
    assert failing.next_poll_at == clock[0] + timedelta(seconds=120) and site.asked(COMMENTS) == [0, 0, 0]
    assert ConnectorLog.objects.filter(account=failing, level="error").count() == 3  # one per failure
    clock[0] += timedelta(seconds=120)
    assert poll("feeds", clock[0]) == 2
    assert ConnectorAccount.objects.get(name="feeds").status == "ok" and site.asked(POSTS)[0] == 200
    assert RawInbound.objects.count() == Mention.objects.count() == 5


def test_it_leaves_a_feed_that_is_gone_aside_and_reads_the_others(
    site: FeedSite, organisation: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = site.url("/blog/ancien/feed/")
    do_add_connector("rss", "blog", {"blog_feeds": [gone, site.url(POSTS)]})
    clock = [timezone.now()]
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock[0])
    assert poll("blog", clock[0]) == 2
    parked = ConnectorAccount.objects.get(name="blog")
    assert parked.status == "error" and parked.last_error.startswith(f"{gone}: HTTP 404")
    assert "fix or remove this feed in the settings" in parked.last_error
    assert parked.next_poll_at == clock[0] + timedelta(minutes=5)  # the others' usual poll goes on
    clock[0] = parked.next_poll_at
    assert poll("blog", clock[0]) == 0 and site.asked("/blog/ancien/feed/") == [404]
    assert ConnectorLog.objects.get(account=parked, level="error").message.startswith("permanent failure")


def test_it_stops_when_its_only_feed_is_gone(site: FeedSite, organisation: None) -> None:
    do_add_connector("rss", "blog", {"blog_feeds": [site.url("/blog/ancien/feed/")]})
    assert poll("blog") == 0
    stopped = ConnectorAccount.objects.get(name="blog")
    assert (stopped.status, stopped.next_poll_at) == ("error", None)  # until a person fixes the settings


def test_it_takes_up_a_cursor_saved_before_each_feed_backed_off_on_its_own(
    site: FeedSite, blog: ConnectorAccount
) -> None:
    poll("blog")
    cursor = ConnectorAccount.objects.get(name="blog").cursor
    cursor["feeds"][site.url(QUIET)]["error"] = "an old failure, read again since"  # not due: kept
    ConnectorAccount.objects.filter(name="blog").update(cursor={**cursor, "resume": site.url(COMMENTS)})
    site.serve(COMMENTS, "blog-comments-41.v2.rss", "Fri, 20 Nov 2026 11:38:00 GMT")
    site.serve(POSTS, "blog-posts.v2.rss", "Fri, 20 Nov 2026 11:40:31 GMT")
    assert poll("blog") == 1
    resumed = ConnectorAccount.objects.get(name="blog")
    assert resumed.status == "ok" and "resume" not in resumed.cursor and Mention.objects.count() == 3
    assert site.asked(QUIET) == [200]


def test_a_restarted_hub_doubles_nothing_even_when_the_feed_forgets_its_etag(
    site: FeedSite, blog: ConnectorAccount
) -> None:
    poll("blog")
    # the same entries, but new validators and a comment count that moved: both feeds are read again
    posts, comments = site.pages[POSTS][0], site.pages[COMMENTS][0]
    site.pages[POSTS] = (posts.replace(b">2</slash", b">3</slash"), '"v3"', "Sat, 21 Nov 2026 08:00:00 GMT")
    site.pages[COMMENTS] = (comments + b"\n", '"v3"', "Sat, 21 Nov 2026 08:00:00 GMT")
    assert poll("blog") == 0
    assert site.asked(COMMENTS) == [200, 200] and RawInbound.objects.count() == 2


def test_it_refuses_to_reply_and_tells_a_person_to_answer_on_the_site(
    site: FeedSite, blog: ConnectorAccount, api: ApiClient
) -> None:
    poll("blog")
    run_single_cycle()
    case_id = thread_of(site, 8)[1]
    answer_case(api, case_id, "Bonjour, un conseiller vous rappelle aujourd'hui.", "blog")
    publication = Publication.objects.get(case_id=case_id)
    assert (
        publication.state == "failed" and "publish this answer on the site itself" in publication.last_error
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({}, "config.feeds"),
        ({"feeds": ["ftp://news.example/feed"], "keywords": ["Sablier"]}, "config.feeds"),
        ({"feeds": ["https://news.example/feed"]}, "config.keywords"),
        ({"blog_feeds": "https://blog.example/feed"}, "config.blog_feeds"),
    ],
)
def test_it_names_the_bad_setting(config: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as bad:
        do_add_connector("rss", "feeds", config)
    assert [e.field for e in bad.value.errors] == [field]
