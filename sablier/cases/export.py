"""Cases as CSV rows, streamed: the export sees exactly what the caller may see."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet

from sablier.cases.models import Case
from sablier.cases.queries import with_first_text

COLUMNS = (
    "id",
    "state",
    "department",
    "assignee",
    "language",
    "sentiment",
    "intent",
    "urgency",
    "assessment",
    "last_message_at",
    "text",
)


def _line(values: tuple[object, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def case_rows(cases: QuerySet[Case], chunk: int = 500) -> Iterator[str]:
    yield _line(COLUMNS)
    rows = with_first_text(cases.select_related("department", "assignee")).order_by("-pk")
    for case in rows.iterator(chunk_size=chunk):
        yield _line(
            (
                case.pk,
                case.state,
                case.department.slug if case.department else "",
                case.assignee.get_username() if case.assignee else "",
                case.language,
                case.sentiment,
                case.intent,
                case.urgency,
                case.assessment,
                case.last_message_at.isoformat(),
                getattr(case, "first_text", "") or "",
            )
        )
