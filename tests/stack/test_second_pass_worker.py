"""The worker refines what the router read: each inbound mention once, the case following its
opening message unless a person corrected the sentiment."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sablier.cases.models import Case
from sablier.listen.models import Mention
from sablier.pipeline.consumer import run_stage
from sablier.workers.cycle import run_single_cycle
from sablier.workers.refine import MARK
from sablier.workers.stages import REFINE, ROUTE, UNDERSTAND
from tests.conftest import ApiClient, mention_payload, triaged_case

pytestmark = pytest.mark.django_db
THANKS = "Merci pour votre aide rapide hier, très apprécié!"


def test_it_refines_each_inbound_mention_once(api: ApiClient) -> None:
    case_id = triaged_case(api, "great, another outage 🙃 third time this week")
    mention = Mention.objects.get(case_id=case_id)
    assert mention.refined and mention.reading is not None and mention.reading[MARK] is True
    assert any(r.startswith("second pass") for r in mention.reading["sentiment"]["reasons"])
    assert not run_stage(REFINE, 10, timezone.now()).done and run_single_cycle() == 0
    assert Case.objects.get(pk=case_id).sentiment == "negative"


def test_it_keeps_a_persons_correction_of_the_sentiment(api: ApiClient) -> None:
    case_id = api.post("/api/mentions", mention_payload(text=THANKS)).json()["case_id"]
    run_stage(UNDERSTAND, 10, timezone.now())
    run_stage(ROUTE, 10, timezone.now())
    corrected = api.post(f"/api/cases/{case_id}/labels", {"dimension": "sentiment", "value": "negative"})
    assert corrected.status_code == 200
    assert len(run_stage(REFINE, 10, timezone.now()).done) == 1
    assert Case.objects.get(pk=case_id).sentiment == "negative"
