"""Label sets learnt from files and from the central team's corrections, through the CLI and the API."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.utils import timezone

from sablier.cli import main
from sablier.learning.bundle import organisation_bundle
from sablier.learning.models import LabelExample, TrainedHead
from sablier.listen.models import Mention
from sablier.pipeline.consumer import run_stage
from sablier.understand.head import WITH_EMBEDDING
from sablier.workers.cycle import run_single_cycle
from sablier.workers.stages import REFINE, UNDERSTAND
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db
PRODUCTS = Path(__file__).parent.parent / "fixtures" / "products.csv"


def understand(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, lines: list[str]
) -> list[dict]:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    capsys.readouterr()
    main(["understand", *args])
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_it_learns_a_label_set_from_a_file_and_reports_bad_rows(
    organisation: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["learn", "--label-set", "product", "--examples", str(PRODUCTS)]) == 0
    out, err = capsys.readouterr()
    assert "line 26: rejected: text is empty" in err and "line 27: rejected: label is empty" in err
    assert re.match(r"product: 24 examples, 3 labels, cross-validated accuracy [01]\.\d{3}; ", out)
    assert TrainedHead.objects.get(label_set="product").labels == ["cards", "mortgage", "savings"]


def test_it_adds_the_label_set_to_what_understand_prints(
    organisation: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["learn", "--label-set", "product", "--examples", str(PRODUCTS)])
    lines = [
        json.dumps({"id": 1, "text": "my mortgage rate at renewal is wrong"}),
        json.dumps({"id": 2, "text": "ma carte de crédit a été refusée"}),
    ]
    out = understand(monkeypatch, capsys, "--label-set", "product", lines=lines)
    assert [(o["id"], o["labels"]) for o in out] == [(1, {"product": "mortgage"}), (2, {"product": "cards"})]


def test_it_names_the_fix_for_an_untrained_label_set(
    organisation: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["understand", "--label-set", "topic"]) == 2
    assert "sablier learn --label-set topic --examples FILE.csv" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--label-set", "Bad Name", "--examples", str(PRODUCTS)], "--label-set: use lower-case letters"),
        (["--examples", str(PRODUCTS)], "--examples needs --label-set NAME"),
        (["--label-set", "x", "--examples", "/nonexistent.csv"], "is not a file"),
    ],
)
def test_it_refuses_bad_learn_arguments(
    organisation: None, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["learn", *args]) == 2
    assert message in capsys.readouterr().err


def test_it_refuses_a_file_without_a_label_column(
    organisation: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("message,tag\nhello,x\n", encoding="utf-8")
    assert main(["learn", "--label-set", "x", "--examples", str(bad)]) == 2
    assert "`text` and `label` (or `category`)" in capsys.readouterr().err


def opened_case(api: ApiClient, text: str) -> int:
    case_id = api.post("/api/mentions", mention_payload(text=text)).json()["case_id"]
    run_single_cycle()
    return int(case_id)


def test_a_correction_in_one_click_is_a_training_example(api: ApiClient) -> None:
    case_id = opened_case(api, "Bonjour, pouvez-vous me rappeler au sujet de mon dossier?")
    response = api.post(f"/api/cases/{case_id}/labels", {"dimension": "intent", "value": "complaint"})
    assert response.status_code == 200 and response.json()["intent"] == "complaint"
    assert response.json()["confidence"]["intent"] == 1.0
    example = LabelExample.objects.get(label_set="intent")
    assert (example.label, example.source, example.case_id) == ("complaint", "correction", case_id)
    assert "dossier" in example.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dimension": "intent", "value": "angry"}, "value"),
        ({"dimension": "colour", "value": "red"}, "dimension"),
        ({"dimension": "intent"}, "value"),
        ({"dimension": "department", "value": "hr"}, "dimension"),
        ({"dimension": "hostile", "value": "hostile"}, "dimension"),
    ],
)
def test_it_names_the_field_of_a_bad_correction(api: ApiClient, body: dict, field: str) -> None:
    case_id = opened_case(api, "Where is your nearest branch?")
    response = api.post(f"/api/cases/{case_id}/labels", body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not LabelExample.objects.exists()


def test_only_the_central_team_corrects(api: ApiClient, marketing_api: ApiClient) -> None:
    case_id = opened_case(api, "I'd like a quote for a business account, who should I talk to?")
    response = marketing_api.post(
        f"/api/cases/{case_id}/labels", {"dimension": "intent", "value": "question"}
    )
    assert response.status_code in (403, 404)
    assert not LabelExample.objects.exists()


def test_corrections_retrain_the_intent_head(api: ApiClient, capsys: pytest.CaptureFixture[str]) -> None:
    texts = [f"Le guichet automatique {n} de la rue Saint-Denis avale les cartes" for n in range(12)]
    for text in texts:
        case_id = opened_case(api, text)
        api.post(f"/api/cases/{case_id}/labels", {"dimension": "intent", "value": "crisis"})
    assert main(["learn"]) == 0
    assert "intent: 12 examples" in capsys.readouterr().out
    head = TrainedHead.objects.get(label_set="intent")
    assert head.examples == 12 and "adjusted" in head.method
    case_id = opened_case(api, "Le guichet automatique 99 de la rue Saint-Denis avale les cartes")
    assert api.get(f"/api/cases/{case_id}").json()["intent"] == "crisis"


def test_the_worker_reads_embedded_label_sets_in_the_second_pass(api: ApiClient) -> None:
    """MiniLM label sets run at hundreds a second: routing goes on without them, the second pass
    adds them within seconds."""
    main(["learn", "--label-set", "product", "--examples", str(PRODUCTS)])
    assert organisation_bundle().label_sets["product"].inputs == WITH_EMBEDDING
    mention_id = api.post(
        "/api/mentions", mention_payload(text="my mortgage rate at renewal is wrong")
    ).json()["id"]
    run_stage(UNDERSTAND, 10, timezone.now())
    assert "product" not in (Mention.objects.get(pk=mention_id).reading or {}).get("labels", {})
    run_stage(REFINE, 10, timezone.now())
    assert Mention.objects.get(pk=mention_id).reading["labels"]["product"]["value"] == "mortgage"
