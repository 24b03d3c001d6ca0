"""The operating models, pure: private departments keep their cases under every model."""

from __future__ import annotations

import pytest

from sablier.routing import Decision
from sablier.routing.operating_models import MODEL_SLUGS, Actor, CaseFacts, may_publish, own
from sablier.routing.structure import BusinessUnit, Structure

STRUCTURE = Structure(
    central="central",
    customer_service="customer-service",
    units=(
        BusinessUnit("retail", "central", frozenset({"customer-service", "marketing"})),
        BusinessUnit("corporate", "pr", frozenset({"hr", "legal"})),
    ),
    crisis_team=("pr", "legal", "central"),
    private=frozenset({"hr", "legal"}),
)


@pytest.mark.parametrize("model", [m for m in MODEL_SLUGS if m not in ("centralized", "solo")])
def test_it_keeps_a_private_critical_case_with_its_department(model: str) -> None:
    ownership = own(model, Decision("hr", ("marketing",), False, "job", ()), True, STRUCTURE)
    assert ownership.department == "hr"
    assert not set(ownership.consulted) - {"marketing", "central"} or model != "multiple-hub-and-spoke"
    assert "pr" not in ownership.consulted


def test_it_lets_the_central_team_not_the_crisis_lead_publish_for_a_private_department() -> None:
    facts = CaseFacts(owner="hr", intent="crisis", crisis=True)
    pr = Actor(frozenset({"pr"}), central=False, level="senior")
    assert may_publish("multiple-hub-and-spoke", pr, facts, STRUCTURE) is not None
    assert (
        may_publish("multiple-hub-and-spoke", Actor(frozenset({"central"}), True), facts, STRUCTURE) is None
    )


def test_it_still_escalates_a_public_crisis_to_the_crisis_team() -> None:
    ownership = own(
        "multiple-hub-and-spoke", Decision("customer-service", (), False, "r", ()), True, STRUCTURE
    )
    assert ownership.department == "pr" and {"legal", "central"} <= set(ownership.consulted)
