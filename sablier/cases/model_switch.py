"""Switching the operating model: nothing migrates; cases nobody has taken yet follow the new model."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from sablier.cases import states
from sablier.cases.access import check_central
from sablier.cases.models import Case
from sablier.cases.triage import apply_routing_decision
from sablier.errors import FieldError, ValidationFailed
from sablier.organisation.actions import current_organisation
from sablier.organisation.models import OrganisationEvent
from sablier.routing import Decision
from sablier.routing.operating_models import MODEL_SLUGS


def _stored_decision(case: Case) -> Decision | None:
    raw = case.understanding.get("decision")
    if not isinstance(raw, dict) or raw.get("rule") == "manual":
        return None
    return Decision(
        str(raw["department"]),
        tuple(raw.get("consulted", ())),
        bool(raw.get("monitor_only")),
        str(raw.get("rule", "")),
        tuple(raw.get("reasons", ())),
    )


def do_switch_operating_model(actor: User, model: str) -> int:
    """Returns how many cases waiting in a queue (routed, not yet taken) changed owner."""
    check_central(actor)
    if model not in MODEL_SLUGS:
        raise ValidationFailed(
            "unknown operating model", [FieldError("operating_model", f"use one of {', '.join(MODEL_SLUGS)}")]
        )
    organisation = current_organisation()
    previous = organisation.operating_model
    if previous == model:
        return 0
    moved = 0
    with transaction.atomic():
        organisation.operating_model = model
        organisation.save(update_fields=["operating_model"])
        for case in Case.objects.select_related("department").filter(state=states.ROUTED):
            decision = _stored_decision(case)
            if decision is None:
                continue
            owner = case.department_id
            apply_routing_decision(case, decision, actor, "re-routed by the operating model")
            moved += case.department_id != owner
        OrganisationEvent.objects.create(
            actor=actor,
            verb="operating model switched",
            detail={"from": previous, "to": model, "re_owned": moved},
        )
    return moved
