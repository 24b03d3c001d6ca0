"""The demo organisation: bilingual, every intent, threads, duplicates, the mortgage customer."""

from __future__ import annotations

from pathlib import Path

import pytest

from sablier.cases.models import Case
from sablier.demo.loader import do_create_demo_people, do_load_demo_mentions
from sablier.listen.models import Mention
from sablier.understand.reading import INTENTS
from sablier.workers.cycle import run_single_cycle

pytestmark = pytest.mark.django_db


def test_it_builds_the_demo_organisation_once(organisation: None, tmp_path: Path) -> None:
    credentials = do_create_demo_people(tmp_path / "credentials.json")
    report = do_load_demo_mentions()
    assert report is not None and report.new >= 300 and report.duplicate >= 5 and not report.rejected
    while run_single_cycle():
        pass
    assert {"fr", "en", "other"} <= set(Case.objects.values_list("language", flat=True))
    assert set(Case.objects.values_list("intent", flat=True)) == set(INTENTS)
    assert Mention.objects.count() - Case.objects.count() >= 25  # replies threaded into cases
    mortgage = Mention.objects.filter(author__handle="@metremblay@mastodon.social").first()
    assert mortgage is not None and mortgage.case.department is not None
    assert mortgage.case.department.slug == "customer-service"
    assert do_load_demo_mentions() is None
    assert do_create_demo_people(tmp_path / "credentials.json") == credentials
