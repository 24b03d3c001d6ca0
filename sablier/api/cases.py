"""/api/cases: list, read and act on cases the caller may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sablier.api.collaboration_schemas import DraftIn
from sablier.api.schemas import (
    CaseDetail,
    CasePage,
    CommentOut,
    DraftOut,
    LabelIn,
    RouteIn,
    TextIn,
    TransitionIn,
)
from sablier.cases.access import access_case, person, visible_cases
from sablier.cases.actions import do_comment_case, do_draft_reply, do_move_case
from sablier.cases.export import case_rows
from sablier.cases.presenter import case_detail, case_summary
from sablier.cases.queries import CaseFilter, filter_cases, page_of_cases
from sablier.cases.relabel import do_relabel_case
from sablier.cases.triage import do_reroute_case

router = Router(tags=["cases"])


class CaseQuery(Schema):
    department: str | None = None
    state: str | None = Field(
        default=None, description='one state, or "open": every state a department acts on'
    )
    intent: str | None = None
    language: str | None = None
    sentiment: str | None = None
    q: str | None = Field(
        default=None,
        max_length=200,
        description="words in a message of the case, accents or not; 3+ letters match as prefixes",
    )
    cursor: str | None = None
    limit: int = Field(default=50, ge=1, le=200)


@router.get("", response=CasePage)
def list_cases(request: HttpRequest, query: Query[CaseQuery]) -> dict[str, Any]:
    wanted = CaseFilter(query.department, query.state, query.intent, query.language, query.sentiment, query.q)
    rows, next_cursor = page_of_cases(request.user, wanted, query.cursor, query.limit)
    return {"items": [case_summary(c) for c in rows], "next_cursor": next_cursor}


@router.get("/export.csv")
def export_cases(request: HttpRequest, query: Query[CaseQuery]) -> StreamingHttpResponse:
    """Every case the caller may see that matches the filters, newest first, as CSV."""
    wanted = CaseFilter(query.department, query.state, query.intent, query.language, query.sentiment, query.q)
    response = StreamingHttpResponse(
        case_rows(filter_cases(visible_cases(request.user), wanted)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="cases.csv"'
    return response


@router.get("/{case_id}", response=CaseDetail)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return case_detail(access_case(request.user, case_id), person(request.user))


@router.post("/{case_id}/route", response=CaseDetail)
def route_case(request: HttpRequest, case_id: int, payload: RouteIn) -> dict[str, Any]:
    case = do_reroute_case(
        access_case(request.user, case_id), person(request.user), payload.department, payload.reason
    )
    return case_detail(case, person(request.user))


@router.post("/{case_id}/labels", response=CaseDetail)
def relabel_case(request: HttpRequest, case_id: int, payload: LabelIn) -> dict[str, Any]:
    """Correct one dimension of the reading (central team); the correction becomes a training example."""
    case = do_relabel_case(
        access_case(request.user, case_id), person(request.user), payload.dimension, payload.value
    )
    return case_detail(case, person(request.user))


@router.post("/{case_id}/comments", response={201: CommentOut})
def comment_case(request: HttpRequest, case_id: int, payload: TextIn) -> Status[dict[str, Any]]:
    comment = do_comment_case(access_case(request.user, case_id), person(request.user), payload.text)
    return Status(
        201,
        {
            "id": comment.pk,
            "author": request.user.get_username(),
            "text": comment.text,
            "created_at": comment.created_at,
        },
    )


@router.post("/{case_id}/drafts", response={201: DraftOut})
def draft_reply(request: HttpRequest, case_id: int, payload: DraftIn) -> Status[dict[str, Any]]:
    """A new version of the reply; one written over someone else's newer version answers 409 unless forced."""
    draft = do_draft_reply(
        access_case(request.user, case_id),
        person(request.user),
        payload.text,
        payload.based_on,
        payload.force,
    )
    return Status(
        201,
        {
            "version": draft.version,
            "author": request.user.get_username(),
            "text": draft.text,
            "created_at": draft.created_at,
        },
    )


@router.post("/{case_id}/transition", response=CaseDetail)
def transition_case(request: HttpRequest, case_id: int, payload: TransitionIn) -> dict[str, Any]:
    case = access_case(request.user, case_id)
    return case_detail(
        do_move_case(case, person(request.user), payload.state, payload.note), person(request.user)
    )
