"""`sablier simulate` on the recorded traffic: one row per model, the same table for the same seed,
and a bad staffing file refused with the key, its line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from sablier.cli import main
from sablier.routing.operating_models import MODEL_SLUGS
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db
TEXTS = (
    "My card was charged twice for the same coffee, please fix it",
    "Bonjour, quels sont vos horaires pour la succursale du Plateau?",
    "Love the new app, transfers are so quick now!",
    "Journaliste à La Presse: pouvez-vous commenter les nouveaux frais?",
    "The app crashes every time I open my statements",
)


@pytest.fixture
def traffic(api: ApiClient) -> None:
    for i, text in enumerate(TEXTS):
        api.post("/api/mentions", mention_payload(text=text, created_at=f"2026-11-20T1{i}:05:00Z"))
    run_single_cycle()


def test_it_prints_one_row_per_model_the_same_for_the_same_seed(
    traffic: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "--seed", "4"]) == 0
    table = capsys.readouterr().out
    assert [line.split()[0] for line in table.splitlines()[1:]] == list(MODEL_SLUGS)
    main(["simulate", "--seed", "4"])
    assert capsys.readouterr().out == table
    main(["simulate", "--seed", "5", "--format", "json"])
    assert capsys.readouterr().out != table


def test_it_runs_a_synthetic_profile_as_csv_for_chosen_models(
    organisation: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "simulate",
                "--profile",
                "synthetic",
                "--days",
                "1",
                "--models",
                "solo,hub-and-spoke",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("model,cases,answered") and [line.split(",")[0] for line in lines[1:]] == [
        "solo",
        "hub-and-spoke",
    ]


def test_it_rejects_a_bad_staffing_file_naming_the_key_and_the_fix(
    traffic: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staffing = tmp_path / "staffing.yaml"
    staffing.write_text("departments:\n  central: {people: 2}\n  customer-service: {people: many}\n")
    assert main(["simulate", "--staffing", str(staffing)]) == 2
    err = capsys.readouterr().err
    assert "departments.customer-service.people" in err and "e.g. people: 2" in err and "(line 3)" in err


def test_it_names_the_models_it_knows(organisation: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--profile", "synthetic", "--models", "matrix"]) == 2
    assert "hub-and-spoke" in capsys.readouterr().err
