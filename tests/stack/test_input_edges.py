"""Input at the edges: refused with the field named, never a 500; files with a BOM or a bad byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sablier.cli import main
from sablier.listen.models import Mention, RawInbound
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db
BOM = b"\xef\xbb\xbf"
ERROR_KEYS = {"ok", "status", "code", "error", "errors"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"created_at": "9999-12-31T23:59:59-05:00"}, "created_at"),
        ({"created_at": "1970-01-01T00:00:00Z"}, "created_at"),
        ({"text": "hello\u0000world"}, "text"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": " JavaScript:alert(1)"}, "url"),
        ({"author": {"handle": "@a", "profile_url": "javascript:x"}}, "author.profile_url"),
    ],
)
def test_it_refuses_edge_input_naming_the_field(
    api: ApiClient, change: dict[str, object], field: str
) -> None:
    response = api.post("/api/mentions", mention_payload(**change))
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "validation")
    assert [e["field"] for e in body["errors"]] == [field]
    assert not RawInbound.objects.exists()


def test_it_answers_413_in_the_one_error_shape(api: ApiClient) -> None:
    response = api.post("/api/mentions", mention_payload(text="x" * 3_000_000))
    body = response.json()
    assert response.status_code == 413
    assert set(body) == ERROR_KEYS and (body["ok"], body["status"], body["code"]) == (False, 413, "too_large")
    assert not RawInbound.objects.exists()


def test_it_keeps_the_raw_payload_as_received(api: ApiClient) -> None:
    sent = mention_payload(external_id="raw-1", lang="fr")
    assert api.post("/api/mentions", sent).status_code == 201
    stored = RawInbound.objects.get(external_id="raw-1").payload
    assert stored["lang"] == "fr" and stored == sent


def _import(tmp_path: Path, name: str, content: bytes, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    (tmp_path / name).write_bytes(content)
    main(["import", str(tmp_path / name)])
    out, err = capsys.readouterr()
    return out.strip(), err


def test_it_imports_the_first_line_of_a_jsonl_file_with_a_bom(
    organisation: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.dumps(mention_payload(external_id=f"bom-{n}")).encode() for n in range(2)]
    out, _ = _import(tmp_path, "m.jsonl", BOM + b"\n".join(lines), capsys)
    assert out == "2 new, 0 duplicate, 0 rejected"
    assert set(Mention.objects.values_list("external_id", flat=True)) == {"bom-0", "bom-1"}


def test_it_imports_a_hub_csv_with_a_bom(
    organisation: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = "network,external_id,author_handle,text,created_at\r\n" + (
        "mastodon,csv-1,@client@mastodon.social,My card was blocked again,2026-11-20T14:05:00Z\r\n"
    )
    out, _ = _import(tmp_path, "m.csv", BOM + csv.encode(), capsys)
    assert out == "1 new, 0 duplicate, 0 rejected"
    mention = Mention.objects.select_related("author").get()
    assert (mention.network, mention.external_id, mention.author.handle) == (
        "mastodon",
        "csv-1",
        "@client@mastodon.social",
    )


def test_it_reports_a_latin1_line_and_imports_the_others(
    organisation: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.dumps(mention_payload(external_id=f"l1-{n}")).encode() for n in range(1, 4)]
    lines[1] = lines[1].replace(b"A client", b"A cli\xe9nt")
    out, err = _import(tmp_path, "m.jsonl", b"\n".join(lines), capsys)
    assert out == "2 new, 0 duplicate, 1 rejected"
    assert "line 2: rejected: not UTF-8" in err
    assert set(Mention.objects.values_list("external_id", flat=True)) == {"l1-1", "l1-3"}
