"""GET /api/cases: filters, keyset pagination, access, and the one error shape."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from sablier.cases.export import COLUMNS, case_rows
from sablier.cases.models import Case
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db

TEXTS = [
    "My card was blocked twice this week, nobody answers the phone. Terrible service.",
    "Merci à Julie de la succursale Plateau, service impeccable! 👏",
    "Bonjour, quels sont vos taux hypothécaires? Je veux acheter une maison au printemps.",
    "Hi, I'm a reporter at the Gazette, could your press office comment on the outage?",
]


@pytest.fixture
def cases(api: ApiClient) -> list[int]:
    ids = [api.post("/api/mentions", mention_payload(text=text)).json()["case_id"] for text in TEXTS]
    run_single_cycle()
    return ids


def test_it_lists_newest_first(api: ApiClient, cases: list[int]) -> None:
    assert [c["id"] for c in api.get("/api/cases").json()["items"]] == sorted(cases, reverse=True)


def test_it_filters_by_department_language_and_intent(api: ApiClient, cases: list[int]) -> None:
    assert [c["id"] for c in api.get("/api/cases", department="pr").json()["items"]] == [cases[3]]
    assert {c["language"] for c in api.get("/api/cases", language="fr").json()["items"]} == {"fr"}
    assert [c["intent"] for c in api.get("/api/cases", intent="praise").json()["items"]] == ["praise"]


def test_it_searches_the_text(api: ApiClient, cases: list[int]) -> None:
    assert [c["id"] for c in api.get("/api/cases", q="succursale").json()["items"]] == [cases[1]]


def test_it_pages_with_a_cursor(api: ApiClient, cases: list[int]) -> None:
    first = api.get("/api/cases", limit=3).json()
    second = api.get("/api/cases", limit=3, cursor=first["next_cursor"]).json()
    assert [c["id"] for c in first["items"] + second["items"]] == sorted(cases, reverse=True)
    assert second["next_cursor"] is None


def test_it_refuses_a_forged_cursor(api: ApiClient, cases: list[int]) -> None:
    response = api.get("/api/cases", cursor="!!nope")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "cursor")


def test_it_refuses_a_limit_out_of_range(api: ApiClient) -> None:
    response = api.get("/api/cases", limit=5000)
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "limit")


def test_it_hides_other_departments_cases_as_not_found(
    api: ApiClient, marketing_api: ApiClient, cases: list[int]
) -> None:
    complaint = marketing_api.get(f"/api/cases/{cases[0]}")
    missing = marketing_api.get("/api/cases/999999")
    assert complaint.status_code == missing.status_code == 404
    assert complaint.json()["error"].replace(str(cases[0]), "N") == missing.json()["error"].replace(
        "999999", "N"
    )
    assert [c["id"] for c in marketing_api.get("/api/cases").json()["items"]] == [cases[2], cases[1]]


def test_it_lets_only_the_central_team_reroute(marketing_api: ApiClient, cases: list[int]) -> None:
    response = marketing_api.post(f"/api/cases/{cases[1]}/route", {"department": "hr"})
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/nothing-here", 404),
        ("delete", "/api/mentions", 405),
        ("get", "/api/cases/abc", 422),
    ],
)
def test_it_uses_one_error_shape_everywhere(api: ApiClient, method: str, path: str, status: int) -> None:
    response = getattr(api.client, method)(path, headers=api.headers)
    body = response.json()
    assert response.status_code == status
    assert set(body) == {"ok", "status", "code", "error", "errors"} and body["status"] == status


def test_it_serves_health_and_openapi_without_a_token(organisation: None) -> None:
    assert Client().get("/api/health").json()["ok"] is True
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {"/api/mentions", "/api/cases", "/api/cases/{case_id}", "/api/cases/{case_id}/route"} <= set(paths)


def test_it_serves_the_api_docs_without_a_cdn(organisation: None) -> None:
    page = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn.jsdelivr" not in page


def test_the_export_comes_in_pieces_that_join_into_one_file(cases: list[int]) -> None:
    pieces = list(case_rows(Case.objects.all(), chunk=3))
    lines = list(csv.reader(io.StringIO("".join(pieces))))
    assert len(pieces) == 2  # header and 3 rows, then the fourth row
    assert lines[0] == list(COLUMNS)
    assert [int(row[0]) for row in lines[1:]] == sorted(cases, reverse=True)
