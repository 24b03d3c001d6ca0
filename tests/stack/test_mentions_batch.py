"""POST /api/mentions/batch: many mentions in one request, each answered as POST /api/mentions would."""

from __future__ import annotations

from typing import Any

import pytest

from sablier.cases import states
from sablier.cases.models import Case
from sablier.listen import batch
from sablier.listen.models import Mention, RawInbound
from sablier.people.models import Handle, OptOut
from sablier.pipeline.claims import count_pending
from sablier.pipeline.waiting import UNREAD
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db


def _batch(api: ApiClient, mentions: list[dict[str, Any]]) -> Any:
    return api.post("/api/mentions/batch", {"mentions": mentions})


def test_each_mention_alone_opens_its_own_case_in_the_order_sent(api: ApiClient) -> None:
    sent = [mention_payload(text=f"Card number {n} was charged twice") for n in range(5)]
    response = _batch(api, sent)
    body = response.json()
    assert response.status_code == 200
    assert (body["created"], body["duplicates"]) == (5, 0)
    stored = [Mention.objects.get(pk=item["id"]) for item in body["items"]]
    assert [m.external_id for m in stored] == [m["external_id"] for m in sent]
    assert [m.case_id for m in stored] == [item["case_id"] for item in body["items"]]
    assert len({m.case_id for m in stored}) == 5
    assert RawInbound.objects.get(mention=stored[0]).payload == sent[0]


def test_a_post_already_stored_or_sent_twice_is_one_mention(api: ApiClient) -> None:
    known = mention_payload()
    first = api.post("/api/mentions", known).json()
    again = mention_payload()
    body = _batch(api, [known, again, again]).json()
    assert [i["duplicate"] for i in body["items"]] == [True, False, True]
    assert (body["items"][0]["id"], body["items"][0]["case_id"]) == (first["id"], first["case_id"])
    assert body["items"][1]["id"] == body["items"][2]["id"]
    assert (body["created"], RawInbound.objects.count(), Mention.objects.count()) == (1, 2, 2)


def test_replies_join_their_conversation_inside_and_across_batches(api: ApiClient) -> None:
    stored_parent = api.post("/api/mentions", mention_payload(external_id="p-1")).json()
    early_reply = api.post("/api/mentions", mention_payload(in_reply_to="p-2", text="me too")).json()
    items = _batch(
        api,
        [
            mention_payload(external_id="r-1", in_reply_to="p-1", text="any news?"),
            mention_payload(external_id="p-2", text="the app is down"),
            mention_payload(external_id="p-3", text="fees doubled"),
            mention_payload(external_id="r-3", in_reply_to="p-3", text="same for me"),
            mention_payload(external_id="lonely", text="nice branch"),
        ],
    ).json()["items"]
    assert items[0]["case_id"] == stored_parent["case_id"]
    assert items[1]["case_id"] == early_reply["case_id"]
    assert items[3]["case_id"] == items[2]["case_id"]
    assert len({items[2]["case_id"], items[4]["case_id"], items[0]["case_id"], items[1]["case_id"]}) == 4


def test_the_mentions_enter_the_pipeline_and_are_routed(api: ApiClient) -> None:
    body = _batch(
        api, [mention_payload(text=f"My mortgage rate is wrong, letter {n}") for n in range(3)]
    ).json()
    assert count_pending(UNREAD) == 3
    run_single_cycle()
    cases = Case.objects.filter(pk__in=[i["case_id"] for i in body["items"]])
    assert all(c.state != "new" for c in cases)
    assert all(m.reading for m in Mention.objects.all())


def test_one_handle_is_one_person_and_an_opt_out_is_honoured(api: ApiClient) -> None:
    author = {"handle": "@same@example.social", "display_name": "Same"}
    _batch(
        api,
        [
            mention_payload(author=author, text="My card is blocked"),
            mention_payload(author=author, text="Stop contacting me, unsubscribe me please"),
        ],
    )
    handle = Handle.objects.get(handle="@same@example.social")
    assert Mention.objects.filter(author=handle).count() == 2
    assert OptOut.objects.filter(person=handle.person).exists()


def test_one_invalid_mention_refuses_the_batch_naming_it(api: ApiClient) -> None:
    response = _batch(api, [mention_payload(), mention_payload(text="")])
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"mentions.1.text"}
    assert RawInbound.objects.count() == 0


def test_a_nul_in_an_unknown_field_is_refused_naming_the_mention(api: ApiClient) -> None:
    response = _batch(api, [mention_payload(), mention_payload(extra="a\u0000b")])
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"mentions.1"}
    assert RawInbound.objects.count() == 0


@pytest.mark.parametrize("mentions", [[], [mention_payload() for _ in range(1001)]])
def test_an_empty_or_oversized_batch_is_refused(api: ApiClient, mentions: list[dict[str, Any]]) -> None:
    response = _batch(api, mentions)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"mentions"}


def test_a_department_token_may_not_record_outbound_messages(marketing_api: ApiClient) -> None:
    response = _batch(marketing_api, [mention_payload(), mention_payload(direction="outbound")])
    assert response.status_code == 403
    assert {e["field"] for e in response.json()["errors"]} == {"mentions.1.direction"}
    assert RawInbound.objects.count() == 0


def test_mentions_that_stand_alone_are_stored_with_a_few_queries_whatever_their_number(
    api: ApiClient, django_assert_max_num_queries: Any
) -> None:
    mentions = [
        mention_payload(author={"handle": f"@fan{n}@example.social"}, text=f"Is branch {n} open today?")
        for n in range(200)
    ]
    with django_assert_max_num_queries(30):
        response = _batch(api, mentions)
    assert response.json()["created"] == 200
    assert Handle.objects.filter(handle__startswith="@fan").count() == 200


def test_a_reply_sent_before_its_parent_in_the_same_batch_ends_in_the_parents_case(api: ApiClient) -> None:
    items = _batch(
        api,
        [
            mention_payload(external_id="kid", in_reply_to="mum", text="me too"),
            mention_payload(external_id="mum", text="the app is down"),
        ],
    ).json()["items"]
    assert items[0]["case_id"] == items[1]["case_id"]
    assert Case.objects.count() == 1


def _conversations(network: str) -> set[frozenset[str]]:
    by_case: dict[int, set[str]] = {}
    for external_id, case_id in Mention.objects.filter(network=network).values_list("external_id", "case_id"):
        by_case.setdefault(case_id, set()).add(external_id)
    return {frozenset(ids) for ids in by_case.values()}


def test_batches_group_the_same_conversations_as_one_by_one(api: ApiClient) -> None:
    """Threads, replies before their parent, replies to posts that never come, duplicates, across
    several batches: the cases hold the same messages as when each is posted alone."""
    import random

    chooser = random.Random(5)
    shape: list[tuple[str, str | None]] = []
    for n in range(240):
        earlier = [e for e, _ in shape]
        kind = chooser.random()
        if kind < 0.35 or not earlier:
            shape.append((f"m{n}", None))
        elif kind < 0.6:
            shape.append((f"m{n}", chooser.choice(earlier)))
        elif kind < 0.75:
            shape.append((f"m{n}", f"m{n + chooser.randint(1, 30)}"))  # parent comes later, or never
        elif kind < 0.9:
            shape.append((f"m{n}", f"gone{chooser.randint(0, 15)}"))
        else:
            shape.append(chooser.choice(shape))  # sent again
    for external_id, parent in shape:
        api.post(
            "/api/mentions", mention_payload(network="mastodon", external_id=external_id, in_reply_to=parent)
        )
    batch = [mention_payload(network="bluesky", external_id=e, in_reply_to=p) for e, p in shape]
    for start in range(0, len(batch), 50):
        assert _batch(api, batch[start : start + 50]).status_code == 200
    assert _conversations("bluesky") == _conversations("mastodon")
    assert len(_conversations("bluesky")) > 20


def test_a_reply_to_an_answered_case_reopens_it_even_with_our_later_answer_in_the_batch(
    api: ApiClient,
) -> None:
    case_id = api.post("/api/mentions", mention_payload(external_id="asked")).json()["case_id"]
    Case.objects.filter(pk=case_id).update(state=states.ANSWERED)
    _batch(
        api,
        [
            mention_payload(external_id="again", in_reply_to="asked", created_at="2026-11-21T10:00:00Z"),
            mention_payload(
                external_id="ours",
                in_reply_to="asked",
                direction="outbound",
                text="We are on it",
                created_at="2026-11-21T11:00:00Z",
            ),
        ],
    )
    assert Case.objects.get(pk=case_id).state == states.REOPENED
    assert Mention.objects.filter(case_id=case_id).count() == 3


def test_a_failure_midway_stores_nothing_of_the_batch(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(batch, "do_ingest_mention", failing)  # the one-by-one path, after the insert
    response = _batch(
        api,
        [
            mention_payload(external_id="alone"),
            mention_payload(external_id="early", in_reply_to="later"),  # its parent comes after it
            mention_payload(external_id="later"),
        ],
    )
    assert response.status_code == 500
    assert (RawInbound.objects.count(), Mention.objects.count(), Case.objects.count()) == (0, 0, 0)
