"""The API's shapes for working together on a case: model, approvals, assignment, presence."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class OperatingModelOut(Schema):
    slug: str
    en: str
    fr: str
    summary_en: str
    summary_fr: str


class RequirementOut(Schema):
    approver: str
    reason: str


class ApprovalOut(Schema):
    id: int
    version: int
    approver: str
    reason: str
    state: str = Field(description="pending, approved, changes_requested, rejected or superseded")
    decided_by: str | None
    comment: str
    decided_at: datetime | None
    yours: bool = Field(description="the caller may decide it")


class MayOut(Schema):
    draft: bool
    publish: bool


class ViewerOut(Schema):
    user: str
    drafting: bool
    seen_at: datetime


class DraftIn(Schema):
    text: str = Field(min_length=1, max_length=10_000)
    based_on: int | None = Field(default=None, description="the latest draft version you saw")
    force: bool = Field(default=False, description="write over a newer version by someone else")


class DecisionIn(Schema):
    decision: str = Field(description="approved, changes_requested or rejected")
    comment: str = Field(default="", max_length=10_000)


class HandOffIn(Schema):
    department: str = Field(min_length=1, max_length=60)
    reason: str = Field(min_length=1, max_length=2_000)


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2_000)


class AssignIn(Schema):
    user: str = Field(min_length=1, max_length=150)


class PresenceIn(Schema):
    drafting: bool = False


class PresenceOut(Schema):
    others: list[ViewerOut]


class ModelIn(Schema):
    operating_model: str


class ModelSwitched(Schema):
    operating_model: str
    re_owned: int = Field(description="cases waiting in a queue that changed owner")
