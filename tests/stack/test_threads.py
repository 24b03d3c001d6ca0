"""Conversations that arrive out of order end up in one case; our own messages are never triaged."""

from __future__ import annotations

import pytest

from sablier.cases.models import Case, CaseEvent
from sablier.listen.models import Mention
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db


def _post(api: ApiClient, **overrides: object) -> int:
    response = api.post("/api/mentions", mention_payload(**overrides))
    assert response.status_code == 201, response.content
    return int(response.json()["case_id"])


def _cases_of(*external_ids: str) -> set[int]:
    return set(Mention.objects.filter(external_id__in=external_ids).values_list("case_id", flat=True))


def test_it_puts_two_replies_to_a_missing_parent_in_one_case(api: ApiClient) -> None:
    first = _post(api, external_id="t1-r1", in_reply_to="t1-p")
    second = _post(api, external_id="t1-r2", in_reply_to="t1-p")
    assert first == second
    assert Case.objects.count() == 1


def test_it_adds_the_late_parent_to_the_case_of_its_replies(api: ApiClient) -> None:
    early = _post(api, external_id="t2-r1", in_reply_to="t2-p")
    _post(api, external_id="t2-r2", in_reply_to="t2-p")
    assert _post(api, external_id="t2-p") == early
    assert _cases_of("t2-p", "t2-r1", "t2-r2") == {early}
    assert Case.objects.count() == 1


def test_it_joins_a_grandchild_that_came_before_its_parent(api: ApiClient) -> None:
    root = _post(api, external_id="t3-g")
    orphan = _post(api, external_id="t3-c", in_reply_to="t3-p")
    assert orphan != root
    assert _post(api, external_id="t3-p", in_reply_to="t3-g") == root
    assert _cases_of("t3-g", "t3-p", "t3-c") == {root}
    assert list(Case.objects.values_list("pk", flat=True)) == [root]


def _orphan_and_root(api: ApiClient, prefix: str) -> tuple[int, int]:
    """A stored root, and a reply to a missing middle post, each in its own routed case."""
    root = _post(api, external_id=f"{prefix}-g")
    orphan = _post(api, external_id=f"{prefix}-c", in_reply_to=f"{prefix}-p")
    run_single_cycle()
    return root, orphan


def test_it_keeps_the_comments_and_drafts_of_a_merged_case(api: ApiClient) -> None:
    root, orphan = _orphan_and_root(api, "t4")
    api.post(f"/api/cases/{orphan}/comments", {"text": "noted before the parent arrived"})
    assert api.post(f"/api/cases/{orphan}/drafts", {"text": "Orphan draft."}).status_code == 201
    _post(api, external_id="t4-p", in_reply_to="t4-g")
    case = api.get(f"/api/cases/{root}").json()
    assert [c["text"] for c in case["comments"]] == ["noted before the parent arrived"]
    assert [(d["version"], d["text"]) for d in case["drafts"]] == [(1, "Orphan draft.")]
    assert api.get(f"/api/cases/{orphan}").status_code == 404


def test_it_renumbers_the_drafts_of_two_merged_cases(api: ApiClient) -> None:
    root, orphan = _orphan_and_root(api, "t5")
    api.post(f"/api/cases/{root}/drafts", {"text": "Root draft."})
    api.post(f"/api/cases/{orphan}/drafts", {"text": "Orphan draft."})
    response = api.post("/api/mentions", mention_payload(external_id="t5-p", in_reply_to="t5-g"))
    assert response.status_code == 201
    assert response.json()["case_id"] == root
    drafts = api.get(f"/api/cases/{root}").json()["drafts"]
    assert [(d["version"], d["text"]) for d in drafts] == [(1, "Root draft."), (2, "Orphan draft.")]


def test_it_keeps_the_audit_trail_of_the_merged_case(api: ApiClient) -> None:
    root, orphan = _orphan_and_root(api, "t6")
    orphan_events = set(CaseEvent.objects.filter(case_id=orphan).values_list("pk", flat=True))
    assert orphan_events
    _post(api, external_id="t6-p", in_reply_to="t6-g")
    assert set(CaseEvent.objects.filter(case_id=root).values_list("pk", flat=True)) >= orphan_events
    assert CaseEvent.objects.filter(case_id=root, verb="merged", detail={"merged_cases": [orphan]}).exists()


def test_it_does_not_triage_a_case_holding_only_our_own_messages(api: ApiClient) -> None:
    case_id = _post(api, direction="outbound", text="We are aware of the outage and working on it.")
    run_single_cycle()
    assert Case.objects.get(pk=case_id).state == "new"
    assert not CaseEvent.objects.filter(case_id=case_id, verb="triaged").exists()


def test_it_triages_once_a_customer_replies_to_our_own_message(api: ApiClient) -> None:
    case_id = _post(api, external_id="t7-ours", direction="outbound", text="Our branches close at 5 today.")
    run_single_cycle()
    reply = "That is ridiculous, my card was blocked and nobody answers the phone. Terrible service."
    assert _post(api, external_id="t7-reply", in_reply_to="t7-ours", text=reply) == case_id
    run_single_cycle()
    assert Case.objects.get(pk=case_id).state != "new"


def test_it_keeps_outbound_messages_for_the_central_team(marketing_api: ApiClient) -> None:
    response = marketing_api.post("/api/mentions", mention_payload(direction="outbound"))
    assert (response.status_code, response.json()["errors"][0]["field"]) == (403, "direction")
    assert not Mention.objects.exists()
