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


def _row(case: Case) -> tuple[object, ...]:
    return (
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


def case_rows(cases: QuerySet[Case], chunk: int = 500) -> Iterator[str]:
    """The header, then the rows `chunk` at a time: each piece crosses from the request's thread to
    the event loop once, not once a row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    rows = with_first_text(cases.select_related("department", "assignee")).order_by("-pk")
    for count, case in enumerate(rows.iterator(chunk_size=chunk), start=1):
        writer.writerow(_row(case))
        if count % chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
