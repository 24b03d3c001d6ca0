"""Events leave only after commit; a case is triaged by exactly one worker."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from sablier.cases.models import Case
from sablier.cases.triage import do_triage_case
from sablier.listen.actions import do_ingest_mention
from sablier.listen.mention_input import check_mention
from sablier.organisation.actions import current_rules
from sablier.routing import Facts, route
from sablier.understand import assess, read
from tests.conftest import mention_payload


@pytest.mark.django_db(transaction=True)
def test_it_publishes_after_commit_as_json(organisation: None, received: list[dict[str, Any]]) -> None:
    result = do_ingest_mention(check_mention(mention_payload()))
    assert received == [
        {"name": "mention.received", "mention_id": result.mention_id, "case_id": result.case_id}
    ]


@pytest.mark.django_db(transaction=True)
def test_it_publishes_nothing_for_a_rolled_back_ingest(
    organisation: None, received: list[dict[str, Any]]
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        do_ingest_mention(check_mention(mention_payload()))
        raise RuntimeError("the surrounding work failed")
    assert (received, Case.objects.count()) == ([], 0)


@pytest.mark.django_db
def test_it_lets_only_one_worker_claim_a_new_case(organisation: None) -> None:
    case_id = do_ingest_mention(check_mention(mention_payload())).case_id
    reading = read(mention_payload()["text"])
    assessment = assess(reading)
    facts = Facts(
        "t", "mastodon", "@a", "en", "negative", reading.intent.value, "normal", assessment.category
    )
    decision = route(facts, current_rules())
    claims = [do_triage_case(case_id, reading, assessment, decision) for _ in range(2)]
    assert claims == [True, False]
