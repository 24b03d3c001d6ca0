"""The pipeline page: what each stage has waiting, and the dead letters with a retry button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from sablier.cases.access import is_central
from sablier.errors import SablierError
from sablier.pipeline.dead_letters import dead_letters, do_retry
from sablier.pipeline.waiting import waiting_counts


@login_required
def pipeline_page(request: HttpRequest) -> HttpResponse:
    if not is_central(request.user):
        return render(request, "sablier/not_found.html", status=404)
    context = {"stages": waiting_counts(), "dead_letters": dead_letters()}
    return render(request, "sablier/pipeline.html", context)


@login_required
@require_POST
def retry_dead_letter(request: HttpRequest, failure_id: int) -> HttpResponse:
    try:
        failure = do_retry(request.user, failure_id)
        messages.success(
            request,
            gettext("%(stage)s will try item %(item)d again.")
            % {"stage": failure.stage, "item": failure.item_id},
        )
    except SablierError as exc:
        messages.error(request, exc.message)
    return redirect("pipeline")
