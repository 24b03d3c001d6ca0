"""The e-mail connector against a real mail server: Dovecot IMAP on a Maildir that aiosmtpd delivers
into (tests/peers/dovecot.py), and aiosmtpd recording the hub's answers (tests/peers/smtp.py).
Skips when Dovecot cannot start, unless SABLIER_REQUIRE_PEERS=1."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import suppress
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sablier.connectors.actions import do_add_connector, do_poll_connector
from sablier.connectors.email import imap
from sablier.connectors.models import ConnectorAccount, ConnectorLog, Publication
from sablier.connectors.registry import connector_type
from sablier.errors import ValidationFailed
from sablier.listen.models import Mention, RawInbound
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, approve_pending
from tests.peers.dovecot import MailServer, running_mail_server
from tests.peers.process import PeerUnavailable
from tests.peers.smtp import Inbox, running_smtp

COMPLAINT = "Ma lettre de renouvellement est arrivée en retard et le taux indiqué est faux.\n\nMarie"


@pytest.fixture(scope="session")
def mail_server() -> Iterator[MailServer]:
    try:
        with running_mail_server() as server:
            yield server
    except PeerUnavailable as exc:
        if os.environ.get("SABLIER_REQUIRE_PEERS") == "1":
            pytest.fail(f"Dovecot is required here (SABLIER_REQUIRE_PEERS=1): {exc}")
        pytest.skip(f"no IMAP server: {exc}")


@pytest.fixture
def mail(mail_server: MailServer) -> MailServer:
    if mail_server.dovecot is None:  # a test stopped it
        mail_server.start_imap()
    mail_server.empty()
    return mail_server


@pytest.fixture
def outbox() -> Iterator[Inbox]:
    with running_smtp() as server:
        yield server


def settings_for(mail: MailServer, outbox: Inbox, tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    secret = tmp_path / "imap-password"
    secret.write_text(mail.password + "\n", encoding="utf-8")
    return {
        "imap_host": "127.0.0.1",
        "imap_port": mail.imap_port,
        "imap_tls": "none",
        "username": mail.user,
        "password_file": str(secret),
        "smtp_host": "127.0.0.1",
        "smtp_port": outbox.port,
        "smtp_tls": "none",
        "address": "service@sablier.test",
        "display_name": "Banque Sablier",
        **overrides,
    }


@pytest.fixture
def service(mail: MailServer, outbox: Inbox, tmp_path: Path, organisation: None) -> ConnectorAccount:
    return do_add_connector("email", "service", settings_for(mail, outbox, tmp_path), now=timezone.now())


def mail_from(sender: str, subject: str, text: str, message_id: str, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "service@sablier.test", subject
    message["Message-ID"], message["Date"] = f"<{message_id}>", "Fri, 20 Nov 2026 10:02:11 -0500"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


def poll(now: Any = None) -> int:
    return do_poll_connector(ConnectorAccount.objects.get(name="service"), now or timezone.now())


def answer(api: ApiClient, case_id: int, text: str) -> None:
    if api.get(f"/api/cases/{case_id}").json()["state"] in ("triaged", "monitor_only"):  # not routed
        api.post(f"/api/cases/{case_id}/route", {"department": "central", "reason": "mail"})
    drafted = api.post(f"/api/cases/{case_id}/drafts", {"text": text})
    assert drafted.status_code == 201, (api.get(f"/api/cases/{case_id}").json()["state"], drafted.json())
    api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    approve_pending(api, case_id)
    assert api.post(f"/api/cases/{case_id}/transition", {"state": "answered"}).status_code == 200


def test_it_makes_a_case_of_a_mail_answers_in_its_thread_and_hears_the_reply(
    mail: MailServer, outbox: Inbox, service: ConnectorAccount, api: ApiClient
) -> None:
    first = mail_from("Marie Tremblay <Marie@Example.org>", "Taux erroné", COMPLAINT, "m1@example.org")
    first.add_alternative(f"<p>{COMPLAINT}</p>", subtype="html")
    first.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="lettre.pdf")
    mail.deliver(first)
    run_single_cycle()
    heard = Mention.objects.get(network="email", external_id="m1@example.org")
    assert heard.author.handle == "marie@example.org" and heard.author.display_name == "Marie Tremblay"
    assert heard.text.startswith("Taux erroné\n\nMa lettre de renouvellement")
    assert heard.text.endswith("[attachments not read: lettre.pdf (application/pdf)]")
    answer(api, heard.case_id, "Bonjour Marie, un conseiller vous appelle aujourd'hui.")
    run_single_cycle()
    [sent] = outbox.messages
    assert (sent["In-Reply-To"], sent["References"]) == ("<m1@example.org>", "<m1@example.org>")
    assert (sent["Subject"], sent["To"]) == ("Re: Taux erroné", "Marie@Example.org")
    assert sent["From"] == "Banque Sablier <service@sablier.test>"
    assert "un conseiller vous appelle" in outbox.bodies()[0]
    assert Publication.objects.get(case_id=heard.case_id).state == "sent"
    ours = sent["Message-ID"].strip("<>")
    reply = mail_from(
        "marie@example.org",
        "Re: Taux erroné",
        "Merci, j'attends l'appel.\n\nLe 20 nov. 2026, Banque Sablier a écrit :\n> Bonjour Marie",
        "m2@example.org",
        In_Reply_To=f"<{ours}>",
        References=f"<m1@example.org> <{ours}>",
    )
    mail.deliver(reply)
    run_single_cycle(now=timezone.now() + timedelta(minutes=2))
    joined = Mention.objects.get(network="email", external_id="m2@example.org")
    assert (joined.case_id, joined.in_reply_to, joined.text) == (
        heard.case_id,
        ours,
        "Merci, j'attends l'appel.",
    )


def test_a_restarted_hub_fetches_nothing_twice_even_after_a_uidvalidity_change(
    mail: MailServer, service: ConnectorAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "BATCH", 2)
    for n in range(3):
        mail.deliver(
            mail_from("client@example.org", f"Carte {n}", "Ma carte est refusée.", f"c{n}@example.org")
        )
    assert poll() == 2 and ConnectorAccount.objects.get(name="service").next_poll_at is not None
    assert poll() == 1
    saved = ConnectorAccount.objects.get(name="service")
    assert connector_type("email").fetch(saved.config, saved.cursor).items == []
    ConnectorAccount.objects.update(cursor={**saved.cursor, "uidvalidity": 1})  # the server renumbered
    assert poll() + poll() == 0 and RawInbound.objects.count() == 3
    assert ConnectorAccount.objects.get(name="service").cursor == saved.cursor


def test_it_backs_off_while_the_imap_server_is_down_then_resumes(
    mail: MailServer, service: ConnectorAccount
) -> None:
    now = timezone.now()
    mail.deliver(mail_from("client@example.org", "Virement", "Mon virement a disparu.", "v1@example.org"))
    mail.stop_imap()
    assert poll(now) == 0
    down = ConnectorAccount.objects.get(name="service")
    assert (down.status, down.next_poll_at) == ("error", now + timedelta(seconds=30))
    assert "ConnectionRefusedError" in down.last_error
    assert ConnectorLog.objects.get(account=service).message.startswith("transient failure: IMAP")
    mail.start_imap()
    assert poll(now + timedelta(seconds=31)) == 1
    assert ConnectorAccount.objects.get(name="service").status == "ok"


class CuttingProxy:
    """Between the hub and Dovecot: forwards both ways, and hangs up when the hub asks for the
    messages (logged in, folder open, UIDs found): the server gone in the middle of a poll."""

    def __init__(self, upstream: int) -> None:
        self.upstream, self.listener = upstream, socket.create_server(("127.0.0.1", 0))
        self.port, self.cut = self.listener.getsockname()[1], True
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        with suppress(OSError):
            while True:
                client, _ = self.listener.accept()
                server = socket.create_connection(("127.0.0.1", self.upstream))
                threading.Thread(target=self.pump, args=(client, server, True), daemon=True).start()
                threading.Thread(target=self.pump, args=(server, client, False), daemon=True).start()

    def pump(self, source: socket.socket, target: socket.socket, from_hub: bool) -> None:
        with suppress(OSError):
            while chunk := source.recv(65536):
                if from_hub and self.cut and b" FETCH " in chunk:
                    break
                target.sendall(chunk)
        for end in (source, target):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


def test_a_connection_dropped_mid_poll_is_transient_and_the_next_poll_resumes(
    mail: MailServer, service: ConnectorAccount
) -> None:
    mail.deliver(mail_from("client@example.org", "Virement", "Mon virement a disparu.", "v1@example.org"))
    proxy = CuttingProxy(mail.imap_port)
    ConnectorAccount.objects.update(config={**service.config, "imap_port": proxy.port})
    now = timezone.now()
    assert poll(now) == 0
    dropped = ConnectorAccount.objects.get(name="service")
    assert (dropped.status, dropped.next_poll_at, dropped.cursor) == (
        "error",
        now + timedelta(seconds=30),
        {},
    )
    assert "IMAP 127.0.0.1" in dropped.last_error and "abort" in dropped.last_error
    proxy.cut = False
    assert poll(now + timedelta(seconds=31)) == 1
    proxy.listener.close()


def test_it_stops_on_a_refused_login_and_skips_automatic_replies(
    mail: MailServer, outbox: Inbox, tmp_path: Path, organisation: None
) -> None:
    config = settings_for(mail, outbox, tmp_path, password="wrong", password_file="")
    do_add_connector("email", "service", config, now=timezone.now())
    assert poll() == 0
    stopped = ConnectorAccount.objects.get(name="service")
    assert stopped.next_poll_at is None and "refused the login of socialteam" in stopped.last_error
    robot = mail_from("robot@example.org", "Absent", "Je suis absent.", "auto@example.org")
    robot["Auto-Submitted"] = "auto-replied"
    mail.deliver(robot)
    ConnectorAccount.objects.update(
        config={**stopped.config, "password": mail.password}, next_poll_at=timezone.now()
    )
    assert poll() == 0
    assert "Auto-Submitted: auto-replied" in ConnectorLog.objects.filter(level="warning").get().message


def test_a_refused_answer_is_retried_on_4xx(
    mail: MailServer, outbox: Inbox, service: ConnectorAccount, api: ApiClient
) -> None:
    mail.deliver(
        mail_from("client@example.org", "Frais", "Des frais inconnus sur mon compte.", "f1@example.org")
    )
    run_single_cycle()
    outbox.answers = ["451 4.3.0 try again later"]
    answer(api, Mention.objects.get(external_id="f1@example.org").case_id, "Nous regardons, merci.")
    run_single_cycle()
    publication = Publication.objects.get()
    assert (publication.state, publication.attempts) == ("pending", 1) and "451" in publication.last_error


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"imap_port": "imap"}, "config.imap_port"),
        ({"smtp_tls": "ssl"}, "config.smtp_tls"),
        ({"password_file": ""}, "config.password"),
        ({"password_file": "/nonexistent/secret"}, "config.password_file"),
        ({"address": "service"}, "config.address"),
    ],
)
def test_it_names_the_bad_setting(overrides: dict[str, Any], field: str) -> None:
    config = {
        "imap_host": "imap.example.org",
        "username": "service",
        "password_file": __file__,
        "smtp_host": "smtp.example.org",
        "address": "service@example.org",
        **overrides,
    }
    with pytest.raises(ValidationFailed) as bad:
        do_add_connector("email", "service", config)
    assert [e.field for e in bad.value.errors] == [field]
