"""/api/connectors: each connector's health and log (central team)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from sablier.cases.access import check_central
from sablier.connectors.actions import access_account, health
from sablier.connectors.models import ConnectorAccount

router = Router(tags=["connectors"])


class ConnectorOut(Schema):
    name: str
    kind: str
    network: str
    status: str
    last_error: str
    last_error_at: datetime | None
    last_ok_at: datetime | None
    next_poll_at: datetime | None
    fetched: int


class LogOut(Schema):
    level: str
    message: str
    detail: dict[str, Any]
    at: datetime


@router.get("", response=list[ConnectorOut])
def list_connectors(request: HttpRequest) -> list[dict[str, Any]]:
    check_central(request.user)
    return [health(account) for account in ConnectorAccount.objects.all()]


@router.get("/{name}/log", response=list[LogOut])
def connector_log(request: HttpRequest, name: str) -> list[dict[str, Any]]:
    check_central(request.user)
    entries = access_account(name).log.all()[:200]
    return [{"level": e.level, "message": e.message, "detail": e.detail, "at": e.at} for e in entries]
