"""The webhook API's typed shapes; the secret appears only in EndpointCreated."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class EndpointIn(Schema):
    url: str = Field(max_length=2000)
    events: list[str] = Field(max_length=50)
    secret: str | None = None


class EndpointOut(Schema):
    id: int
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class EndpointCreated(EndpointOut):
    secret: str


class DeliveryQuery(Schema):
    limit: int = Field(default=100, ge=1, le=500)


class DeliveryOut(Schema):
    id: int
    event: str
    state: str
    attempts: int
    last_status: int | None
    last_error: str
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None
