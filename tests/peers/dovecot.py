"""A real mail server for the e-mail connector: Dovecot IMAP on a Maildir, and aiosmtpd delivering
into that Maildir, both on loopback (../shared/PEERS.md section 4; installed by dovecot-setup.sh).

Dovecot refuses to serve mail as root, so the mail store belongs to uid 65534 (nobody); aiosmtpd
runs in the test process and hands each delivered file to that uid (running it as nobody would
need the checkout's virtualenv to be readable by nobody, which a private temporary folder is not).
Dovecot is stopped by PID."""

from __future__ import annotations

import mailbox
import os
import shutil
import smtplib
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from tests.peers.process import PeerUnavailable, free_port, listens, stop, wait_until_ready

NOBODY = 65534
READY_SECONDS = 15.0
CONFIG = """base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@dataclass
class MailServer:
    root: Path
    imap_port: int
    smtp_port: int
    user: str = "socialteam"
    password: str = "pw-social"
    dovecot: subprocess.Popen[bytes] | None = None

    @property
    def maildir(self) -> Path:
        return self.root / "home" / self.user / "Maildir"

    def deliver(self, message: EmailMessage) -> None:
        """Send a message to the mailbox through the delivering SMTP server."""
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=10) as client:
            client.send_message(message)

    def start_imap(self) -> None:
        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        log = self.root / "dovecot.out"
        with log.open("ab") as out:
            self.dovecot = subprocess.Popen(
                [binary, "-F", "-c", str(self.root / "dovecot.conf")], stdout=out, stderr=subprocess.STDOUT
            )
        wait_until_ready(
            "dovecot",
            self.dovecot,
            log,
            listens(self.imap_port),
            READY_SECONDS,
            f"127.0.0.1:{self.imap_port}",
            0.05,
        )

    def stop_imap(self) -> None:
        if self.dovecot is not None:
            stop(self.dovecot, grace=10)
            self.dovecot = None

    def empty(self) -> None:
        """Remove every message (Dovecot keeps counting UIDs, as a real server would)."""
        for sub in ("new", "cur"):
            for path in (self.maildir / sub).iterdir():
                path.unlink()


def _prepare(root: Path, port: int) -> None:
    root.chmod(0o755)  # the mail processes run as nobody and must reach the home folders
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port, uid=NOBODY), encoding="utf-8")
    (root / "users").write_text("socialteam:{PLAIN}pw-social\n", encoding="utf-8")
    for sub in ("cur", "new", "tmp"):
        (root / "home" / "socialteam" / "Maildir" / sub).mkdir(parents=True)
    for folder, _, files in os.walk(root / "home"):
        for name in (folder, *(os.path.join(folder, f) for f in files)):
            os.chown(name, NOBODY, NOBODY)


class MaildirDelivery:
    """aiosmtpd handler (in this process, as root): each message into the Maildir, handed to the
    mail store's uid so that Dovecot, which refuses to run as root, can read and move it."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        key = mailbox.Maildir(str(self.maildir), create=False).add(
            envelope.original_content or envelope.content
        )
        os.chown(self.maildir / "new" / key, NOBODY, NOBODY)
        return "250 Message accepted for delivery"


@contextmanager
def running_mail_server() -> Iterator[MailServer]:
    if not (shutil.which("dovecot") or Path("/usr/sbin/dovecot").exists()):
        raise PeerUnavailable("dovecot is not installed (make peers-mail installs dovecot-imapd)")
    if os.geteuid() != 0:
        raise PeerUnavailable("the mail server needs root to run its mail store as uid 65534")
    root = Path(tempfile.mkdtemp(prefix="sablier-mail-"))
    server = MailServer(root, free_port(), free_port())
    _prepare(root, server.imap_port)
    delivery = Controller(MaildirDelivery(server.maildir), hostname="127.0.0.1", port=server.smtp_port)
    delivery.start()
    try:
        server.start_imap()
        yield server
    finally:
        server.stop_imap()
        delivery.stop()
        shutil.rmtree(root, ignore_errors=True)
