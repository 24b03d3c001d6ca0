"""Examples for a label set: checked, stored, and gathered for training (latest label of a text wins)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sablier.errors import FieldError, ValidationFailed
from sablier.learning.models import LabelExample
from sablier.limits import MAX_TEXT_LENGTH

LABEL_SET_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
MAX_LABEL_LENGTH = 100


def check_label_set_name(name: str, field: str = "label_set") -> str:
    if not LABEL_SET_NAME.match(name):
        raise ValidationFailed(
            f"label set name {name!r} is not allowed",
            [
                FieldError(
                    field, "use lower-case letters, digits, '-' or '_', starting with a letter (max 64)"
                )
            ],
        )
    return name


def check_example(text: str, label: str) -> str | None:
    """Why this example cannot be used, or None when it can."""
    if not text.strip():
        return "text is empty"
    if len(text) > MAX_TEXT_LENGTH:
        return f"text is longer than {MAX_TEXT_LENGTH} characters"
    if not label.strip():
        return "label is empty"
    if len(label) > MAX_LABEL_LENGTH:
        return f"label is longer than {MAX_LABEL_LENGTH} characters"
    return None


def do_add_examples(label_set: str, pairs: Iterable[tuple[str, str]], source: str = "import") -> int:
    rows = [LabelExample(label_set=label_set, text=t, label=y.strip(), source=source) for t, y in pairs]
    LabelExample.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def gathered(label_set: str) -> tuple[list[str], list[str], int]:
    """Texts and labels to train on, one per distinct text (its latest label), and the last id seen."""
    latest: dict[str, str] = {}
    last_id = 0
    rows = LabelExample.objects.filter(label_set=label_set).order_by("id").values_list("id", "text", "label")
    for pk, text, label in rows.iterator(chunk_size=5000):
        latest[text] = label
        last_id = pk
    return list(latest), list(latest.values()), last_id
