"""`sablier understand`: JSON lines in, one judgement per line out, in order, errors in place."""

from __future__ import annotations

import io
import json

import pytest

from sablier.cli import main

pytestmark = pytest.mark.django_db


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str, *args: str
) -> tuple[int, list[dict], str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code = main(["understand", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_it_writes_one_judgement_per_line_in_order(
    organisation: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"id": "a", "text": "Great, another outage 🙃 third time this week"},
        {"id": 2, "text": "Merci à l'équipe de la succursale, service impeccable!"},
        {"id": None, "text": "Je vais faire sauter votre agence"},
    ]
    code, out, _ = run(monkeypatch, capsys, "\n".join(json.dumps(x) for x in lines), "--batch", "2")
    assert code == 0 and [o["id"] for o in out] == ["a", 2, None]
    assert out[0]["sentiment"] == "negative" and out[0]["language"] == "en"
    assert (out[1]["language"], out[1]["sentiment"]) == ("fr", "positive")
    assert (out[2]["intent"], out[2]["urgency"]) == ("crisis", "critical")
    assert set(out[0]) >= {"assessment", "confidence", "reasons", "intent", "urgency"}
    assert set(out[0]["confidence"]) == {"language", "sentiment", "intent", "urgency"}


def test_a_malformed_line_gets_an_error_line_and_the_rest_goes_on(
    organisation: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = '{"id": 1, "text": "hello there"}\nnot json\n{"id": 3}\n\n[1]\n{"id": 6, "text": "ok 👍"}\n'
    code, out, _ = run(monkeypatch, capsys, text, "--batch", "1")
    assert code == 1
    assert [o.get("id", o.get("line")) for o in out] == [1, 2, 3, 5, 6]
    assert out[1]["error"].startswith("not JSON") and out[2]["error"] == "field text: missing or not a string"
    assert "expected an object" in out[3]["error"] and out[4]["language"] == "other"


def test_it_shows_progress_on_stderr_when_asked(
    organisation: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = "\n".join(json.dumps({"id": i, "text": f"message {i}"}) for i in range(100))
    _, out, err = run(monkeypatch, capsys, lines, "--progress")
    assert len(out) == 100 and "100" in err and "understand" in err
