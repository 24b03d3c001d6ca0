"""Read labelled examples from a CSV file with columns `text` and `label` (or `category`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sablier.errors import FieldError, ValidationFailed
from sablier.learning.examples import check_example

LABEL_COLUMNS = ("label", "category")


@dataclass
class ExamplesFile:
    pairs: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def read_examples(path: Path) -> ExamplesFile:
    """Every usable row; a bad row is reported with its line number and skipped."""
    found = ExamplesFile()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        label_column = _label_column(list(reader.fieldnames or []), path)
        for row in reader:
            text, label = row.get("text") or "", row.get(label_column) or ""
            problem = check_example(text, label)
            if problem:
                found.rejected.append((reader.line_num, problem))
            else:
                found.pairs.append((text, label))
    return found


def _label_column(columns: list[str], path: Path) -> str:
    label = next((c for c in LABEL_COLUMNS if c in columns), None)
    if "text" not in columns or label is None:
        raise ValidationFailed(
            f"{path.name} has columns {', '.join(columns) or 'none'}",
            [FieldError("examples", "a CSV with a header holding `text` and `label` (or `category`)")],
        )
    return label
