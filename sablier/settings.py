"""The only reader of the environment: typed SABLIER_* settings that fail loudly."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sablier.errors import ConfigurationError

SUPPORTED_LANGUAGES = ("fr", "en")
REQUEST_THREADS = 16  # a web process's pool of request threads (asgi.py)
SMTP_SCHEMES = ("smtp", "smtp+starttls", "smtps")


@dataclass(frozen=True)
class SmtpServer:
    """Where notification e-mail goes (SABLIER_SMTP_URL); `security` is "", "starttls" or "ssl"."""

    host: str
    port: int
    username: str
    password: str
    security: str


@dataclass(frozen=True)
class MatrixAccount:
    """The hub's Matrix bot: a homeserver and either an access token or a user and password."""

    homeserver: str
    user: str
    password: str
    token: str


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None
    secret_key: str
    languages: tuple[str, ...]
    debug: bool
    organisation_file: Path | None
    allowed_hosts: tuple[str, ...]
    allow_private_outbound: bool
    smtp: SmtpServer | None = None
    mail_from: str = "sablier@localhost"
    matrix: MatrixAccount | None = None
    nats_url: str | None = None
    ingest_bound: int = 100_000
    claim_lease_seconds: int = 60
    reconcile_seconds: int = 30


def _read(name: str, default: str | None = None) -> str | None:
    """A value from NAME, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurationError(f"{name}_FILE points to an unreadable file: {exc}") from exc
    return os.environ.get(name, default)


def _flag(name: str) -> bool:
    value = (_read(name, "") or "").lower()
    if value not in ("", "0", "1", "true", "false", "yes", "no"):
        raise ConfigurationError(f"{name} must be 1/0, true/false or yes/no, not {value!r}")
    return value in ("1", "true", "yes")


def _languages() -> tuple[str, ...]:
    raw = _read("SABLIER_LANGUAGES", "fr,en") or "fr,en"
    languages = tuple(part.strip() for part in raw.split(",") if part.strip())
    unknown = [code for code in languages if code not in SUPPORTED_LANGUAGES]
    if unknown or not languages:
        raise ConfigurationError(
            f"SABLIER_LANGUAGES={raw!r}: use a comma-separated list of {', '.join(SUPPORTED_LANGUAGES)}"
        )
    return languages


def _database_url() -> str | None:
    url = _read("SABLIER_DATABASE_URL")
    if not url:
        return None
    if urlsplit(url).scheme not in ("postgres", "postgresql"):
        raise ConfigurationError(
            f"SABLIER_DATABASE_URL must be a postgresql://user@host:port/name URL, not {url!r}"
        )
    return url


def _secret_key(data_dir: Path) -> str:
    configured = _read("SABLIER_SECRET_KEY")
    if configured:
        return configured
    key_file = data_dir / "secret-key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def _hosts() -> tuple[str, ...]:
    raw = _read("SABLIER_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]") or ""
    return tuple(host.strip() for host in raw.split(",") if host.strip())


def _smtp() -> SmtpServer | None:
    url = _read("SABLIER_SMTP_URL")
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise ConfigurationError(
            f"SABLIER_SMTP_URL must be smtp://[user:password@]host[:port] (or smtp+starttls://, smtps://), "
            f"not {parts.scheme}://…"
        )
    security = {"smtp": "", "smtp+starttls": "starttls", "smtps": "ssl"}[parts.scheme]
    port = parts.port or (465 if security == "ssl" else 587 if security else 25)
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    return SmtpServer(parts.hostname, port, user, password, security)


def _matrix() -> MatrixAccount | None:
    homeserver = _read("SABLIER_MATRIX_HOMESERVER")
    if not homeserver:
        return None
    if urlsplit(homeserver).scheme not in ("http", "https"):
        raise ConfigurationError(f"SABLIER_MATRIX_HOMESERVER must be an http(s) URL, not {homeserver!r}")
    user, password = _read("SABLIER_MATRIX_USER", "") or "", _read("SABLIER_MATRIX_PASSWORD", "") or ""
    token = _read("SABLIER_MATRIX_TOKEN", "") or ""
    if not user.startswith("@") or ":" not in user or not (password or token):
        raise ConfigurationError(
            "SABLIER_MATRIX_HOMESERVER needs SABLIER_MATRIX_USER (@bot:server) and "
            "SABLIER_MATRIX_PASSWORD or SABLIER_MATRIX_TOKEN"
        )
    return MatrixAccount(homeserver.rstrip("/"), user, password, token)


def _nats_url() -> str | None:
    url = _read("SABLIER_NATS_URL")
    if not url:
        return None
    if urlsplit(url).scheme not in ("nats", "tls"):
        raise ConfigurationError(f"SABLIER_NATS_URL must be a nats://host:4222 URL, not {url!r}")
    return url


def _positive_int(name: str, default: int) -> int:
    raw = _read(name, str(default)) or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigurationError(f"{name} must be a whole number above 0, not {raw!r}")
    return value


def load_settings() -> Settings:
    data_dir = Path(_read("SABLIER_DATA_DIR", "var") or "var").resolve()
    organisation = _read("SABLIER_ORGANISATION_FILE")
    if organisation and not Path(organisation).is_file():
        raise ConfigurationError(f"SABLIER_ORGANISATION_FILE={organisation!r} is not a file")
    return Settings(
        data_dir=data_dir,
        database_url=_database_url(),
        secret_key=_secret_key(data_dir),
        languages=_languages(),
        debug=_flag("SABLIER_DEBUG"),
        organisation_file=Path(organisation) if organisation else None,
        allowed_hosts=_hosts(),
        allow_private_outbound=_flag("SABLIER_OUTBOUND_ALLOW_PRIVATE"),
        smtp=_smtp(),
        mail_from=_read("SABLIER_MAIL_FROM", "") or "sablier@localhost",
        matrix=_matrix(),
        nats_url=_nats_url(),
        ingest_bound=_positive_int("SABLIER_INGEST_BOUND", 100_000),
        claim_lease_seconds=_positive_int("SABLIER_CLAIM_LEASE_SECONDS", 60),
        reconcile_seconds=_positive_int("SABLIER_RECONCILE_SECONDS", 30),
    )
