"""An IMAP mailbox as a channel: each e-mail a mention (its Message-ID the external id, threads by
In-Reply-To / References, the sender's address the author), answers sent by SMTP in the thread.

The folder is read without marking anything as read, a page of UIDs at a time from the cursor
(UIDVALIDITY, last UID). E-mail has no public timeline: `post` fails, permanently. Messages marked
`Auto-Submitted` (out-of-office, bounces) are logged and skipped, so no case ping-pongs with a robot.
The mail servers are the organisation's own: unlike HTTP, private addresses are allowed."""

from __future__ import annotations

from email.utils import parseaddr
from pathlib import Path

from sablier.connectors.base import Config, ConnectorError, Cursor, Page, Published, ReplyTarget, Setting
from sablier.connectors.email.imap import read_page
from sablier.connectors.email.smtp import send_reply
from sablier.connectors.registry import register
from sablier.errors import FieldError

TLS_MODES = ("tls", "starttls", "none")


def _port_errors(config: Config, name: str) -> list[FieldError]:
    value = config[name]
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        return [FieldError(name, "a port number, e.g. 993")]
    return [] if 0 < int(value) < 65536 else [FieldError(name, "between 1 and 65535")]


class EmailConnector:
    kind = "email"
    network = "email"
    poll_seconds = 60
    settings: tuple[Setting, ...] = (
        Setting("imap_host", "the IMAP server, e.g. imap.example.org"),
        Setting("imap_port", "its port", False, default=993),
        Setting("imap_tls", "tls (implicit, port 993), starttls or none", False, default="tls"),
        Setting("username", "the mailbox's login"),
        Setting("password", "its password (or password_file)", False, secret=True, default=""),
        Setting("password_file", "a file holding the password (a mounted secret)", False, default=""),
        Setting("folder", "the folder read", False, default="INBOX"),
        Setting("smtp_host", "the SMTP server answers are sent through"),
        Setting("smtp_port", "its port", False, default=587),
        Setting("smtp_tls", "starttls, tls (implicit, port 465) or none", False, default="starttls"),
        Setting("smtp_username", "the SMTP login, if not the mailbox's", False, default=""),
        Setting("smtp_password", "the SMTP password, if not the mailbox's", False, secret=True, default=""),
        Setting("address", "the address answers come from (From:)"),
        Setting("display_name", "the name shown with it, e.g. Banque Sablier", False, default=""),
    )

    def check_config(self, config: Config) -> list[FieldError]:
        errors = _port_errors(config, "imap_port") + _port_errors(config, "smtp_port")
        errors += [
            FieldError(name, f"one of {', '.join(TLS_MODES)}")
            for name in ("imap_tls", "smtp_tls")
            if config[name] not in TLS_MODES
        ]
        if not config["password"] and not config["password_file"]:
            errors.append(FieldError("password", "required (or password_file)"))
        elif config["password_file"] and not Path(str(config["password_file"])).is_file():
            errors.append(FieldError("password_file", f"{config['password_file']} is not a readable file"))
        if "@" not in parseaddr(str(config["address"]))[1]:
            errors.append(FieldError("address", "an e-mail address, e.g. service@example.org"))
        return errors

    def fetch(self, config: Config, cursor: Cursor) -> Page:
        return read_page(config, cursor)

    def reply(self, config: Config, text: str, target: ReplyTarget) -> Published:
        return send_reply(config, text, target)

    def post(self, config: Config, text: str) -> Published:
        raise ConnectorError("e-mail has no public timeline: answer a message instead", transient=False)


register(EmailConnector())
