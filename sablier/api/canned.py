"""/api/canned: canned answers per department and language; /api/cases/{id}/canned renders them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sablier.answer.canned_store import (
    access_canned,
    canned_for_case,
    do_delete_canned_answer,
    do_save_canned_answer,
    visible_canned,
)
from sablier.answer.models import CannedAnswer
from sablier.cases.access import access_case, person

router = Router(tags=["canned answers"])  # mounted at /canned
case_router = Router(tags=["canned answers"])  # mounted at /cases


class CannedQuery(Schema):
    department: str | None = Field(default=None, description="a department's own and the organisation-wide")
    language: str | None = Field(default=None, pattern="^(fr|en)$")


class CannedIn(Schema):
    department: str | None = Field(default=None, description="a department slug; null for every department")
    language: str
    name: str
    text: str


class CannedOut(Schema):
    id: int
    department: str | None
    language: str
    name: str
    text: str
    from_file: bool
    updated_at: datetime


class RenderedOut(Schema):
    id: int
    name: str
    language: str
    department: str | None
    text: str
    fallback: bool


def _out(answer: CannedAnswer) -> dict[str, Any]:
    return {
        "id": answer.pk,
        "department": answer.department.slug if answer.department else None,
        "language": answer.language,
        "name": answer.name,
        "text": answer.text,
        "from_file": answer.from_file,
        "updated_at": answer.updated_at,
    }


@router.get("", response=list[CannedOut])
def list_canned(request: HttpRequest, query: Query[CannedQuery]) -> list[dict[str, Any]]:
    answers = visible_canned(request.user)
    if query.department:
        answers = answers.filter(Q(department__isnull=True) | Q(department__slug=query.department))
    if query.language:
        answers = answers.filter(language=query.language)
    return [_out(a) for a in answers]


@router.post("", response={200: CannedOut, 201: CannedOut})
def save_canned(request: HttpRequest, payload: CannedIn) -> Status[dict[str, Any]]:
    """Create or replace (department, language, name): the central team, or a lead of that department."""
    answer, created = do_save_canned_answer(
        person(request.user), payload.department, payload.language, payload.name, payload.text
    )
    return Status(201 if created else 200, _out(answer))


@router.delete("/{answer_id}", response={204: None})
def delete_canned(request: HttpRequest, answer_id: int) -> Status[None]:
    actor = person(request.user)
    do_delete_canned_answer(actor, access_canned(actor, answer_id))
    return Status(204, None)


@case_router.get("/{case_id}/canned", response=list[RenderedOut])
def canned_for(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """The case's department's answers and the organisation-wide ones, rendered for this case."""
    case = access_case(request.user, case_id)
    return [c.as_dict() for c in canned_for_case(case, person(request.user))]
