"""One-click corrections of a case's reading by the central team; each is a training example."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from sablier.cases.access import check_central
from sablier.cases.models import Case, CaseEvent
from sablier.cases.presenter import excerpt
from sablier.errors import FieldError, ValidationFailed
from sablier.learning.examples import check_label_set_name
from sablier.learning.models import LabelExample, TrainedHead
from sablier.limits import MAX_TEXT_LENGTH
from sablier.understand.reading import INTENTS, SENTIMENTS, URGENCIES

# Dimensions stored on the case itself; any other name is one of the organisation's label sets.
ON_THE_CASE = {"intent": INTENTS, "sentiment": SENTIMENTS, "urgency": URGENCIES}
LEARNT = ("intent", "sentiment")  # urgency follows rules, so its corrections teach no model


def check_label(dimension: str, value: str) -> None:
    allowed = ON_THE_CASE.get(dimension)
    if allowed is not None and value not in allowed:
        choices = ", ".join(allowed)
        raise ValidationFailed(
            f"{value!r} is not a {dimension}", [FieldError("value", f"use one of {choices}")]
        )
    if allowed is None:
        check_label_set_name(dimension, "dimension")
        known = (
            TrainedHead.objects.filter(label_set=dimension).exists()
            or LabelExample.objects.filter(label_set=dimension).exists()
        )
        if not known:
            raise ValidationFailed(
                f"no label set {dimension!r}",
                [
                    FieldError(
                        "dimension",
                        "use intent, sentiment, urgency or a label set created by `sablier learn`",
                    )
                ],
            )
    if not value.strip() or len(value) > 100:
        raise ValidationFailed("empty or too long label", [FieldError("value", "1 to 100 characters")])


def do_relabel_case(case: Case, actor: User, dimension: str, value: str) -> Case:
    check_central(actor)
    check_label(dimension, value)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        before = getattr(locked, dimension, "") if dimension in ON_THE_CASE else ""
        corrected = dict(locked.understanding)
        by = f"corrected by {actor.get_username()}"
        corrected[dimension] = {"value": value, "confidence": 1.0, "reasons": [by]}
        locked.understanding = corrected
        fields = ["understanding", "updated_at"]
        if dimension in ON_THE_CASE:
            setattr(locked, dimension, value)
            fields.append(dimension)
        locked.save(update_fields=fields)
        if dimension in LEARNT or dimension not in ON_THE_CASE:
            text = excerpt(locked, length=MAX_TEXT_LENGTH)
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
