"""Searching and paging the inbox: French and English words with or without accents, every word
typed, private departments, keyset pages; each search through both of its plans (the index of
words, and case by case along the filters' index), which must agree."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import connection

from sablier.cases import search, search_sql
from sablier.cases.models import Case
from sablier.cases.newest import badge, count_upto, walks
from sablier.listen.volumes import network_volumes
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, client_of, mention_payload, triaged_case

pytestmark = pytest.mark.django_db

TEXTS = {
    "mortgage": "Les taux hypothécaires ont augmenté à la succursale du Plateau: quel été!",
    "card": "My debit card was refused twice at the Plateau branch today. Please help!",
    "praise": "Merci à Julie, service impeccable à la succursale Rosemont!",
}
JOB = "Bonjour, j'ai vu une offre d'emploi de conseiller, comment postuler?"


@pytest.fixture(params=["index of words", "case by case"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, organisation: None) -> str:
    if request.param == "case by case":
        monkeypatch.setattr(search, "FEW_MATCHES", 0)  # every word counts as common
    return str(request.param)


@pytest.fixture
def cases(api: ApiClient) -> dict[str, int]:
    posted = {name: api.post("/api/mentions", mention_payload(text=text)) for name, text in TEXTS.items()}
    run_single_cycle()
    return {name: int(response.json()["case_id"]) for name, response in posted.items()}


def _ids(client: ApiClient, **params: Any) -> list[int]:
    response = client.get("/api/cases", **params)
    assert response.status_code == 200, response.json()
    return [c["id"] for c in response.json()["items"]]


def test_it_finds_french_words_with_or_without_accents(
    api: ApiClient, cases: dict[str, int], plan: str
) -> None:
    for q in ("hypothécaires", "hypothecaires", "HYPOTHÉCAIRES", "ete", "Été"):
        assert _ids(api, q=q) == [cases["mortgage"]], q


def test_it_finds_english_words(api: ApiClient, cases: dict[str, int], plan: str) -> None:
    assert _ids(api, q="refused") == [cases["card"]]
    assert _ids(api, q="BRANCH") == [cases["card"]]


def test_it_finds_the_start_of_a_word_and_short_words_whole(
    api: ApiClient, cases: dict[str, int], plan: str
) -> None:
    assert _ids(api, q="hypoth") == [cases["mortgage"]]
    assert _ids(api, q="succ") == [cases["praise"], cases["mortgage"]]
    assert _ids(api, q="ta") == []  # "taux" starts with it, but two letters match whole words only


def test_it_wants_every_word_typed(api: ApiClient, cases: dict[str, int], plan: str) -> None:
    assert _ids(api, q="plateau, succursale") == [cases["mortgage"]]
    assert _ids(api, q="plateau card") == [cases["card"]]
    assert _ids(api, q="card hypothécaires") == []


def test_it_lists_everything_for_punctuation_alone(api: ApiClient, cases: dict[str, int]) -> None:
    assert _ids(api, q="?!") == sorted(cases.values(), reverse=True)


def test_it_keeps_a_private_department_out_of_another_ones_search(api: ApiClient, plan: str) -> None:
    hr_case = triaged_case(api, JOB)
    julie, noah = client_of("julie", ["hr"]), client_of("noah", ["marketing"])
    assert _ids(noah, q="emploi") == _ids(noah, q="emploi", department="hr") == []
    assert _ids(julie, q="emploi") == _ids(julie, q="EMPLOI", department="hr") == [hr_case]
    assert _ids(api, q="emploi", state="open") == [hr_case]


def test_it_pages_a_search_over_several_states_without_repeats_or_gaps(api: ApiClient, plan: str) -> None:
    made = [triaged_case(api, f"My card was refused at the branch, attempt {n}.") for n in range(7)]
    for case_id in made[::2]:
        assert api.post(f"/api/cases/{case_id}/transition", {"state": "in_department"}).status_code == 200
    department = Case.objects.get(pk=made[0]).department
    assert department is not None and {c.state for c in Case.objects.filter(pk__in=made)} == {
        "routed",
        "in_department",
    }
    seen, cursor = [], None
    while True:
        params = {"q": "refus", "state": "open", "department": department.slug, "limit": 3}
        page = api.get("/api/cases", **params, **({"cursor": cursor} if cursor else {})).json()
        seen += [c["id"] for c in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == sorted(made, reverse=True)


def test_it_counts_a_badge_up_to_its_cap(api: ApiClient, cases: dict[str, int]) -> None:
    assert count_upto(walks(Case.objects.all(), [], 3), 2) == 3
    assert badge(3, 2) == "2+" and badge(2, 2) == "2"


def test_it_counts_inbound_mentions_per_network_as_they_are_stored(api: ApiClient) -> None:
    for network, external_id in (("mastodon", "m1"), ("mastodon", "m2"), ("bluesky", "b1")):
        api.post("/api/mentions", mention_payload(network=network, external_id=external_id))
    assert network_volumes() == [("mastodon", 2), ("bluesky", 1)]


def test_it_keeps_the_index_of_words_in_step_with_the_mentions(organisation: None) -> None:
    """A later migration that makes SQLite rebuild listen_mention drops these triggers: re-create
    them there (SQLITE_TRIGGERS in listen migration 0003)."""
    migration = importlib.import_module("sablier.listen.migrations.0003_mention_search")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = {row[0] for row in cursor.fetchall()}
            assert {f"listen_mention_fts_{op}" for op in ("ai", "ad", "au")} <= names
            assert {"listen_volume_ai", "listen_volume_ad"} <= names
        else:
            assert migration.PG_DOCUMENT == search_sql.PG_DOCUMENT
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN {search_sql.PG_MATCHES}", ["merci"])
            assert "listen_mention_words" in " ".join(row[0] for row in cursor.fetchall())


def test_it_lists_nothing_for_an_unknown_department(api: ApiClient, cases: dict[str, int]) -> None:
    assert _ids(api, department="no-such-department", state="open") == []
    assert _ids(api, department="no-such-department", q="plateau") == []
