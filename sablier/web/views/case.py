"""The case page and the forms that act on it; every action goes through the same do_* functions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from sablier.cases.access import access_case, is_central, person
from sablier.cases.actions import do_comment_case, do_draft_reply, do_move_case
from sablier.cases.models import Case
from sablier.cases.presenter import case_detail
from sablier.cases.relabel import do_relabel_case
from sablier.cases.triage import do_reroute_case
from sablier.errors import NotFound, SablierError
from sablier.organisation.models import Department
from sablier.understand.reading import INTENTS, SENTIMENTS, URGENCIES


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = access_case(request.user, case_id)
    except NotFound:
        return render(request, "sablier/not_found.html", status=404)
    language = get_language() or "en"
    context = {
        "case": case_detail(case),
        "department_name": case.department.name(language) if case.department else "",
        "departments": Department.objects.all(),
        "central": is_central(request.user),
        "corrections": corrections(case),
    }
    return render(request, "sablier/case.html", context)


def corrections(case: Case) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Each correctable dimension: name, translated title, current value, the values to choose from."""
    return [
        ("sentiment", gettext("Sentiment"), case.sentiment, SENTIMENTS),
        ("intent", gettext("Intent"), case.intent, INTENTS),
        ("urgency", gettext("Urgency"), case.urgency, URGENCIES),
    ]


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    try:
        case = access_case(request.user, case_id)
        actor = person(request.user)
        form = request.POST
        if action == "route":
            do_reroute_case(case, actor, form.get("department", ""), form.get("reason", ""))
        elif action == "label":
            do_relabel_case(case, actor, form.get("dimension", ""), form.get("value", ""))
        elif action == "comment":
            do_comment_case(case, actor, form.get("text", ""))
        elif action == "draft":
            do_draft_reply(case, actor, form.get("text", ""))
        elif action == "transition":
            do_move_case(case, actor, form.get("state", ""))
        else:
            return render(request, "sablier/not_found.html", status=404)
    except NotFound:
        return render(request, "sablier/not_found.html", status=404)
    except SablierError as exc:
        details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
        messages.error(request, f"{exc.message}{' — ' + details if details else ''}")
    return redirect("case", case_id=case_id)
