"""Run by bench/peer.py with django-helpdesk's own Python (its separate virtual environment), never
Sablier's: writes a tiny Django project into FOLDER, migrates it (SQLite tuned as Sablier tunes its
own) and creates a staff user, one queue and a REST token. Prints {"token", "queue"} as JSON.

    .peers/venv-helpdesk/bin/python bench/peer_helpdesk.py FOLDER
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

SETTINGS = """\
SECRET_KEY = "bench-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "peer_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATABASE,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
SITE_ID = 1
STATIC_URL = "/static/"
# Messages are composed and kept in memory: no SMTP server here, and Sablier sends none on ingest.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HELPDESK_TEAMS_MODE_ENABLED = False  # else it needs pinax-teams
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
}
"""

URLS = """\
from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
"""


def write_project(folder: Path) -> None:
    database = json.dumps(str(folder / "helpdesk.sqlite3"))
    (folder / "peer_settings.py").write_text(f"DATABASE = {database}\n{SETTINGS}", encoding="utf-8")
    (folder / "peer_urls.py").write_text(URLS, encoding="utf-8")


def prepare(folder: Path) -> dict[str, object]:
    write_project(folder)
    sys.path.insert(0, str(folder))
    os.environ["DJANGO_SETTINGS_MODULE"] = "peer_settings"
    import django
    from django.core.management import call_command

    django.setup()
    from django.contrib.auth import get_user_model
    from helpdesk.models import Queue
    from rest_framework.authtoken.models import Token

    call_command("migrate", interactive=False, verbosity=0)
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-password")
    queue = Queue.objects.create(title="Social media", slug="social")
    return {"token": Token.objects.create(user=user).key, "queue": queue.pk}


if __name__ == "__main__":
    print(json.dumps(prepare(Path(sys.argv[1]))))
