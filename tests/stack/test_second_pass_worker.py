"""The worker refines what the router read: each inbound mention once, the case following its
opening message unless a person corrected the sentiment."""

from __future__ import annotations

import pytest

from sablier.cases.models import Case
from sablier.listen.models import Mention
from sablier.organisation.actions import current_rules
from sablier.workers.cycle import run_single_cycle
from sablier.workers.refine import MARK, refine_readings
from sablier.workers.triage import read_new_mentions, triage_new_cases
from tests.conftest import ApiClient, mention_payload, triaged_case

pytestmark = pytest.mark.django_db
THANKS = "Merci pour votre aide rapide hier, très apprécié!"


def test_it_refines_each_inbound_mention_once(api: ApiClient) -> None:
    case_id = triaged_case(api, "great, another outage 🙃 third time this week")
    mention = Mention.objects.get(case_id=case_id)
    assert mention.reading is not None and mention.reading[MARK] is True
    assert any(r.startswith("second pass") for r in mention.reading["sentiment"]["reasons"])
    assert refine_readings() == 0 and run_single_cycle() == 0
    assert Case.objects.get(pk=case_id).sentiment == "negative"


def test_it_keeps_a_persons_correction_of_the_sentiment(api: ApiClient) -> None:
    case_id = api.post("/api/mentions", mention_payload(text=THANKS)).json()["case_id"]
    read_new_mentions(10)
    triage_new_cases(10, current_rules())
    corrected = api.post(f"/api/cases/{case_id}/labels", {"dimension": "sentiment", "value": "negative"})
    assert corrected.status_code == 200
    assert refine_readings() == 1
    assert Case.objects.get(pk=case_id).sentiment == "negative"
