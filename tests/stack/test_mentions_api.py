"""POST /api/mentions: idempotent ingest, threading and refusal of bad input."""

from __future__ import annotations

from typing import Any

import pytest

from sablier.listen.models import Mention, RawInbound
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db


def test_it_stores_a_mention_and_opens_a_case(api: ApiClient) -> None:
    response = api.post("/api/mentions", mention_payload())
    body = response.json()
    assert response.status_code == 201
    assert Mention.objects.get(pk=body["id"]).case_id == body["case_id"]


def test_it_answers_200_with_the_same_ids_for_a_duplicate(api: ApiClient) -> None:
    payload = mention_payload()
    first = api.post("/api/mentions", payload).json()
    again = api.post("/api/mentions", payload)
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["case_id"], again.json()["duplicate"]) == (
        first["id"],
        first["case_id"],
        True,
    )
    assert RawInbound.objects.count() == 1


def test_it_threads_a_reply_into_its_parents_case(api: ApiClient) -> None:
    parent = api.post("/api/mentions", mention_payload()).json()
    reply = api.post(
        "/api/mentions",
        mention_payload(
            in_reply_to=Mention.objects.get(pk=parent["id"]).external_id, text="Still no answer?"
        ),
    ).json()
    assert reply["case_id"] == parent["case_id"]


def test_it_gathers_a_reply_that_arrived_before_its_parent(api: ApiClient) -> None:
    early = api.post("/api/mentions", mention_payload(in_reply_to="999", text="Same here")).json()
    parent = api.post("/api/mentions", mention_payload(external_id="999")).json()
    assert parent["case_id"] == early["case_id"]


def test_it_keeps_the_same_id_on_another_network_apart(api: ApiClient) -> None:
    one = api.post("/api/mentions", mention_payload(external_id="42")).json()
    other = api.post("/api/mentions", mention_payload(external_id="42", network="bluesky")).json()
    assert one["case_id"] != other["case_id"]


def _fields(response: Any) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"network": "myspace"}, "network"),
        ({"created_at": "yesterday-ish"}, "created_at"),
        ({"text": "x" * 10_001}, "text"),
        ({"text": ""}, "text"),
        ({"author": {"display_name": "no handle"}}, "author.handle"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(api: ApiClient, change: dict[str, Any], field: str) -> None:
    response = api.post("/api/mentions", mention_payload(**change))
    assert response.status_code == 422
    assert field in _fields(response)
    assert RawInbound.objects.count() == 0 and Mention.objects.count() == 0


def test_it_names_a_missing_field(api: ApiClient) -> None:
    payload = mention_payload()
    del payload["external_id"]
    response = api.post("/api/mentions", payload)
    assert (response.status_code, _fields(response)) == (422, {"external_id"})


def test_it_refuses_a_body_that_is_not_json(api: ApiClient) -> None:
    response = api.post("/api/mentions", "{not json")
    assert response.status_code in (400, 422)
    assert response.json()["ok"] is False


def test_it_refuses_without_a_token(organisation: None) -> None:
    from django.test import Client

    response = Client().post("/api/mentions", mention_payload(), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_message_asking_to_stop_contact_opts_its_author_out(api: ApiClient) -> None:
    from sablier.people.models import Handle, OptOut

    api.post("/api/mentions", mention_payload(text="My card is blocked"))
    handle = Handle.objects.get(handle="@client@mastodon.social")
    assert not OptOut.objects.filter(person=handle.person).exists()
    api.post("/api/mentions", mention_payload(text="Stop contacting me, unsubscribe me please"))
    assert OptOut.objects.filter(person=handle.person).exists()
