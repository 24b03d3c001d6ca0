"""Django's view of the typed Sablier settings; nothing here reads the environment directly."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sablier.settings import REQUEST_THREADS, load_settings

SABLIER = load_settings()
PACKAGE_DIR = Path(__file__).resolve().parent

SECRET_KEY = SABLIER.secret_key
DEBUG = SABLIER.debug
ALLOWED_HOSTS = list(SABLIER.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from its own static files, not a CDN (no network here)
    "sablier.organisation",
    "sablier.people",
    "sablier.listen",
    "sablier.cases",
    "sablier.answer",
    "sablier.webhooks",
    "sablier.notify",
    "sablier.learning",
    "sablier.connectors",
    "sablier.sla",
    "sablier.crisis",
    "sablier.reports",
    "sablier.pipeline",
    "sablier.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sablier.api.errors.api_error_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sablier.urls"
ASGI_APPLICATION = "sablier.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def _database(url: str | None) -> dict[str, Any]:
    if url is None:
        SABLIER.data_dir.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SABLIER.data_dir / "sablier.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Kept by each of the server's request threads (asgi.py: a fixed pool), since opening
            # one costs about 1 ms a request; event streams give theirs back (web/views/stream.py).
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
        }
    parts = urlsplit(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # Each request borrows a pooled connection and gives it back; worker threads keep theirs
        # (lib/worker_db.py). Checked when borrowed (CONN_HEALTH_CHECKS): a restarted server leaves
        # dead connections in the pool.
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        # A connection for each request thread, and room for the threads that keep one: the
        # embedded worker's (one per stage on NATS), live connectors, event streams while they
        # read the user.
        "OPTIONS": {"pool": {"min_size": 1, "max_size": REQUEST_THREADS + 14, "timeout": 10}},
    }


DATABASES = {"default": _database(SABLIER.database_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
# Served straight from the package by WhiteNoise: no collectstatic step before `sablier run`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"sablier": {"handlers": ["console"], "level": "INFO"}},
}
