"""The hourglass inbox and the department queue pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from sablier.cases.access import department_slugs, is_central, memberships
from sablier.events import CASE_EVENT_NAMES
from sablier.organisation.models import Department, Notice, Organisation
from sablier.web.board import board

# Refresh the columns on any event, at most every 300 ms.
SSE_TRIGGERS = ", ".join(f"sse:{name} delay:300ms" for name in ("mention.received", *CASE_EVENT_NAMES))


def _columns_context(request: HttpRequest, only: list[str] | None = None) -> dict[str, object]:
    known = memberships(request.user)
    central = is_central(request.user, known)
    own = [slug for slug, _ in known]
    departments = only if only is not None else (None if central else own)
    if only is not None:
        notices = Notice.objects.filter(department__slug__in=only)
    elif central:
        notices = Notice.objects.filter(department__is_central=True)
    else:
        notices = Notice.objects.filter(department__slug__in=own)
    return {
        "notices": list(notices[:3]),
        "board": board(request.user, get_language() or "en", departments, known),
        "central": central,
        "organisation": Organisation.objects.order_by("pk").first(),
        "sse_triggers": SSE_TRIGGERS,
    }


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request, "sablier/inbox.html", {**_columns_context(request), "columns_url": "/inbox/columns"}
    )


@login_required
def inbox_columns(request: HttpRequest) -> HttpResponse:
    return render(request, "sablier/_columns.html", _columns_context(request))


@login_required
def department_queue(request: HttpRequest, slug: str) -> HttpResponse:
    department = Department.objects.filter(slug=slug).first()
    if department is None or (not is_central(request.user) and slug not in department_slugs(request.user)):
        return render(request, "sablier/not_found.html", status=404)
    context = {
        **_columns_context(request, only=[slug]),
        "department": department,
        "columns_url": f"/departments/{slug}/columns",
    }
    if request.headers.get("HX-Request"):
        return render(request, "sablier/_columns.html", context)
    return render(request, "sablier/department.html", context)
