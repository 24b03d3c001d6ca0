"""Listing cases: filters and keyset pagination (newest first), never OFFSET."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from sablier.cases.models import Case
from sablier.errors import FieldError, ValidationFailed
from sablier.listen.models import Mention


@dataclass(frozen=True)
class CaseFilter:
    department: str | None = None
    state: str | None = None
    intent: str | None = None
    language: str | None = None
    sentiment: str | None = None
    q: str | None = None


def with_first_text(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with the text of its first message (`first_text`), in the same query."""
    first = Mention.objects.filter(case=OuterRef("pk")).order_by("created_at", "pk").values("text")[:1]
    return cases.annotate(first_text=Subquery(first))


def first_inbound(case_id: int) -> Mention | None:
    """The message that opened the conversation from outside: what triage reads, whose author is held."""
    mentions = Mention.objects.select_related("author__person").filter(case_id=case_id, direction="inbound")
    return mentions.order_by("created_at", "pk").first()


def encode_cursor(case_id: int) -> str:
    return base64.urlsafe_b64encode(f"c{case_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("c"):
            raise ValueError(raw)
        return int(raw[1:])
    except ValueError as exc:
        raise ValidationFailed(
            "invalid cursor", [FieldError("cursor", "use next_cursor from a page")]
        ) from exc


def filter_cases(cases: QuerySet[Case], wanted: CaseFilter) -> QuerySet[Case]:
    exact = {
        "department__slug": wanted.department,
        "state": wanted.state,
        "intent": wanted.intent,
        "language": wanted.language,
        "sentiment": wanted.sentiment,
    }
    cases = cases.filter(**{k: v for k, v in exact.items() if v})
    if wanted.q:
        cases = cases.filter(mentions__text__icontains=wanted.q).distinct()
    return cases


def page_of_cases(cases: QuerySet[Case], cursor: str | None, limit: int) -> tuple[list[Case], str | None]:
    if cursor:
        cases = cases.filter(pk__lt=decode_cursor(cursor))
    rows = list(with_first_text(cases.select_related("department", "assignee")).order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].pk) if more and rows else None
