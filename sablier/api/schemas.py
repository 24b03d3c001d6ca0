"""The API's typed shapes; they make the OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from sablier.api.collaboration_schemas import (
    ApprovalOut,
    MayOut,
    OperatingModelOut,
    RequirementOut,
    ViewerOut,
)


class MentionAccepted(Schema):
    id: int
    case_id: int
    duplicate: bool


class MentionsAccepted(Schema):
    items: list[MentionAccepted]  # in the order sent
    created: int
    duplicates: int


class AuthorOut(Schema):
    handle: str
    display_name: str
    profile_url: str
    person_id: int


class MessageOut(Schema):
    id: int
    network: str
    external_id: str
    direction: str
    author: AuthorOut
    text: str
    url: str
    created_at: datetime
    in_reply_to: str


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime


class DraftOut(Schema):
    version: int
    author: str
    text: str
    created_at: datetime


class EventOut(Schema):
    verb: str
    actor: str | None
    from_state: str
    to_state: str
    at: datetime
    detail: dict[str, Any]


class CaseSummary(Schema):
    id: int
    state: str
    department: str | None
    assignee: str | None
    language: str
    sentiment: str
    intent: str
    urgency: str
    assessment: str
    assessment_outcome: str
    last_message_at: datetime
    excerpt: str


class CaseDetail(CaseSummary):
    operating_model: OperatingModelOut
    why_here: list[str] = Field(description="the routing rule and the operating model that put the case here")
    needs_approval: list[RequirementOut] = Field(description="who must approve the latest draft")
    approvals: list[ApprovalOut]
    you_may: MayOut
    viewers: list[ViewerOut] = Field(description="others who have the case open now")
    consulted: list[str]
    reasons: list[str]
    confidence: dict[str, float]
    labels: dict[str, str] = Field(description="the organisation's own label sets, by name")
    considerations: list[dict[str, str]]
    allowed_transitions: list[str]
    messages: list[MessageOut]
    comments: list[CommentOut]
    drafts: list[DraftOut]
    guardrails: dict[str, Any] | None = Field(
        description="the guardrails on the latest draft: {blocked, findings: [{rule, severity, message}]}"
    )
    events: list[EventOut]
    sla: dict[str, Any] | None = Field(
        description="the case's clock: {target, calendar, state ok|warning|breached, running, due, "
        "first_response and resolution: {target_minutes, due, done_at, remaining_minutes (business), state}}"
    )


class CasePage(Schema):
    items: list[CaseSummary]
    next_cursor: str | None


class RouteIn(Schema):
    department: str = Field(min_length=1, max_length=60)
    reason: str = Field(default="", max_length=10_000)


class LabelIn(Schema):
    dimension: str = Field(
        min_length=1, max_length=64, description="intent, sentiment, urgency or a label set"
    )
    value: str = Field(min_length=1, max_length=100)


class TextIn(Schema):
    text: str = Field(min_length=1, max_length=10_000)


class TransitionIn(Schema):
    state: str = Field(min_length=1, max_length=30)
    note: str = Field(default="", max_length=10_000)


class Health(Schema):
    ok: bool
    database: str
    version: str
