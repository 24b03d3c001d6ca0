"""The hub as a bench script runs it: Django on a data folder (SQLite, or the PostgreSQL URL given),
migrated, with the default organisation applied. One backend per process."""

from __future__ import annotations

import os


def setup_django(folder: str, database_url: str | None = None) -> None:
    os.environ["SABLIER_DATA_DIR"] = folder
    os.environ["DJANGO_SETTINGS_MODULE"] = "sablier.django_settings"
    os.environ["SABLIER_ALLOWED_HOSTS"] = "testserver,localhost"
    if database_url:
        os.environ["SABLIER_DATABASE_URL"] = database_url
    import django
    from django.core.management import call_command

    django.setup()
    from sablier.organisation.apply import do_apply_organisation
    from sablier.organisation.config import load_organisation

    call_command("migrate", verbosity=0)
    do_apply_organisation(load_organisation(None))
