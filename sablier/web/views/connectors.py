"""The connectors page: each network the hub listens to, its health and its last error."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sablier.cases.access import is_central
from sablier.connectors.actions import health
from sablier.connectors.models import ConnectorAccount, ConnectorLog


@login_required
def connectors_page(request: HttpRequest) -> HttpResponse:
    if not is_central(request.user):
        return render(request, "sablier/not_found.html", status=404)
    context = {
        "connectors": [health(account) for account in ConnectorAccount.objects.all()],
        "log": ConnectorLog.objects.select_related("account")[:30],
    }
    return render(request, "sablier/connectors.html", context)
