"""The worker's scheduled learner: it retrains once enough corrections wait, and not every cycle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sablier.learning.examples import do_add_examples
from sablier.learning.models import TrainedHead
from sablier.workers import learning
from sablier.workers.learning import NEW_EXAMPLES_TO_RETRAIN, learn_when_due

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_schedule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learning, "_last_check", {})


def corrections(n: int, start: int = 0) -> None:
    texts = [f"Le guichet {i} de la rue Sainte-Catherine avale les cartes" for i in range(start, start + n)]
    do_add_examples("intent", [(t, "crisis") for t in texts], source="correction")


def test_it_waits_for_enough_corrections(organisation: None) -> None:
    corrections(NEW_EXAMPLES_TO_RETRAIN - 1)
    assert learn_when_due(timezone.now()) == 0 and not TrainedHead.objects.exists()


def test_it_retrains_then_rests_until_new_corrections_pile_up(organisation: None) -> None:
    now = timezone.now()
    corrections(NEW_EXAMPLES_TO_RETRAIN)
    assert learn_when_due(now) == 1
    assert TrainedHead.objects.get(label_set="intent").examples == NEW_EXAMPLES_TO_RETRAIN
    corrections(NEW_EXAMPLES_TO_RETRAIN, start=100)
    assert learn_when_due(now + timedelta(minutes=1)) == 0  # checked at most every ten minutes
    assert learn_when_due(now + timedelta(minutes=11)) == 1
    assert TrainedHead.objects.get(label_set="intent").examples == 2 * NEW_EXAMPLES_TO_RETRAIN
    assert learn_when_due(now + timedelta(minutes=30)) == 0  # nothing new since
