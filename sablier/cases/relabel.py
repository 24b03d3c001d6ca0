"""One-click corrections of a case's reading by the central team; each is a training example."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from sablier.cases.access import check_central
from sablier.cases.models import Case, CaseEvent
from sablier.cases.presenter import excerpt
from sablier.errors import FieldError, ValidationFailed
from sablier.learning.examples import MAX_LABEL_LENGTH, check_example, check_label_set_name
from sablier.learning.models import LabelExample, TrainedHead
from sablier.limits import MAX_TEXT_LENGTH
from sablier.understand.bundle import HEADS
from sablier.understand.reading import INTENTS, SENTIMENTS, URGENCIES

# Dimensions stored on the case itself; any other name is one of the organisation's label sets.
ON_THE_CASE = {"intent": INTENTS, "sentiment": SENTIMENTS, "urgency": URGENCIES}
LEARNT = ("intent", "sentiment")  # urgency follows rules over its head, so its corrections teach nothing yet
NOT_HERE = {
    "department": "re-route the case instead (POST /api/cases/{id}/route): that is the department correction",
    **{
        n: "this dimension is read by rules and models, not corrected by hand"
        for n in HEADS
        if n not in ON_THE_CASE
    },
}


def check_label(dimension: str, value: str) -> None:
    if dimension in NOT_HERE:
        raise ValidationFailed(
            f"{dimension!r} cannot be corrected here", [FieldError("dimension", NOT_HERE[dimension])]
        )
    allowed = ON_THE_CASE.get(dimension)
    if allowed is not None and value not in allowed:
        choices = ", ".join(allowed)
        raise ValidationFailed(
            f"{value!r} is not a {dimension}", [FieldError("value", f"use one of {choices}")]
        )
    if allowed is None:
        check_label_set_name(dimension, "dimension")
        known = TrainedHead.objects.filter(label_set=dimension).exists()
        if not known and not LabelExample.objects.filter(label_set=dimension).exists():
            why = "use intent, sentiment, urgency or a label set created by `sablier learn`"
            raise ValidationFailed(f"no label set {dimension!r}", [FieldError("dimension", why)])
    if not value.strip() or len(value) > MAX_LABEL_LENGTH:
        why = f"1 to {MAX_LABEL_LENGTH} characters"
        raise ValidationFailed("empty or too long label", [FieldError("value", why)])


def corrected(understanding: dict[str, Any], dimension: str, value: str, by: str) -> dict[str, Any]:
    """The stored reading with one dimension replaced, where the case page and the API read it."""
    reading = dict(understanding.get("reading", {}))
    judgement = {"value": value, "confidence": 1.0, "reasons": [f"corrected by {by}"]}
    if dimension in ON_THE_CASE:
        reading[dimension] = judgement
    else:
        reading["labels"] = {**reading.get("labels", {}), dimension: judgement}
    return {**understanding, "reading": reading}


def do_relabel_case(case: Case, actor: User, dimension: str, value: str) -> Case:
    check_central(actor)
    check_label(dimension, value)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        before = getattr(locked, dimension, "") if dimension in ON_THE_CASE else ""
        locked.understanding = corrected(locked.understanding, dimension, value, actor.get_username())
        fields = ["understanding", "updated_at"]
        if dimension in ON_THE_CASE:
            setattr(locked, dimension, value)
            fields.append(dimension)
        locked.save(update_fields=fields)
        text = excerpt(locked, length=MAX_TEXT_LENGTH)
        teaches = dimension in LEARNT or dimension not in ON_THE_CASE
        if teaches and check_example(text, value) is None:
            LabelExample.objects.create(
                label_set=dimension, text=text, label=value, source="correction", case=locked
            )
        CaseEvent.objects.create(
            case=locked,
            actor=actor,
            verb="relabelled",
            detail={"dimension": dimension, "from": before, "to": value},
        )
    case.refresh_from_db()
    return case
