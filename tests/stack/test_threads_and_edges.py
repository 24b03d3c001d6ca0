"""Threads that arrive out of order, outbound messages, and input at the edges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from sablier.cases.models import Case
from sablier.cli import main
from sablier.listen.models import Mention, RawInbound
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db


def _post(api: ApiClient, **overrides: object) -> int:
    return int(api.post("/api/mentions", mention_payload(**overrides)).json()["case_id"])


def test_it_gathers_two_early_replies_and_their_parent_into_one_case(api: ApiClient) -> None:
    first = _post(api, external_id="r1", in_reply_to="p")
    _post(api, external_id="r2", in_reply_to="p")
    api.post(f"/api/cases/{first}/comments", {"text": "noted before the parent arrived"})
    parent = _post(api, external_id="p")
    assert Case.objects.count() == 1 and Case.objects.get().pk == parent
    assert Case.objects.get().comments.get().text == "noted before the parent arrived"


def test_it_joins_a_chain_whose_middle_arrives_last(api: ApiClient) -> None:
    root = _post(api, external_id="g")
    _post(api, external_id="c", in_reply_to="m")
    assert _post(api, external_id="m", in_reply_to="g") == root
    assert set(Mention.objects.values_list("case_id", flat=True)) == {root}


def test_it_does_not_triage_a_case_holding_only_our_own_messages(api: ApiClient) -> None:
    case_id = _post(api, direction="outbound", text="We are aware of the outage and working on it.")
    run_single_cycle()
    assert Case.objects.get(pk=case_id).state == "new"


def test_it_keeps_outbound_messages_for_the_central_team(marketing_api: ApiClient) -> None:
    response = marketing_api.post("/api/mentions", mention_payload(direction="outbound"))
    assert (response.status_code, response.json()["errors"][0]["field"]) == (403, "direction")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"created_at": "9999-12-31T23:59:59-05:00"}, "created_at"),
        ({"text": "hello\u0000world"}, "text"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"author": {"handle": "@a", "profile_url": "javascript:x"}}, "author.profile_url"),
    ],
)
def test_it_refuses_edge_input_naming_the_field(
    api: ApiClient, change: dict[str, object], field: str
) -> None:
    response = api.post("/api/mentions", mention_payload(**change))
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, field)


def test_it_answers_413_for_an_oversized_body(api: ApiClient) -> None:
    response = api.post("/api/mentions", json.dumps(mention_payload(text="x" * 3_000_000)))
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_it_keeps_the_raw_payload_as_received(api: ApiClient) -> None:
    api.post("/api/mentions", mention_payload(external_id="raw-1", lang="fr"))
    assert RawInbound.objects.get(external_id="raw-1").payload["lang"] == "fr"


def test_it_imports_a_file_with_a_bom_and_reports_a_bad_byte(
    organisation: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.dumps(mention_payload(external_id=f"f{n}")).encode() for n in range(3)]
    lines[1] = lines[1].replace(b"A client", b"A cli\xe9nt")
    (tmp_path / "m.jsonl").write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines))
    main(["import", str(tmp_path / "m.jsonl")])
    out, err = capsys.readouterr()
    assert out.strip() == "2 new, 0 duplicate, 1 rejected" and "line 2: rejected: not UTF-8" in err


def test_it_serves_its_own_not_found_page_for_an_unknown_department(admin: object) -> None:
    client = Client()
    client.login(username="boss", password="pw-boss-123")
    assert client.get("/departments/astrology/").status_code == 404
