"""The case page and the forms that act on it; every action goes through the same do_* functions."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST

from sablier.answer.canned_store import canned_for_case
from sablier.cases.access import access_case, is_central, person
from sablier.cases.actions import do_comment_case, do_draft_reply, do_move_case
from sablier.cases.approvals import do_decide_approval
from sablier.cases.assignment import do_claim_case, do_release_case
from sablier.cases.handoff import do_hand_back_case, do_hand_off_case
from sablier.cases.models import Case
from sablier.cases.presence import do_mark_viewing, viewers_of
from sablier.cases.presenter import case_detail
from sablier.cases.relabel import do_relabel_case
from sablier.cases.triage import do_reroute_case
from sablier.errors import FieldError, NotFound, SablierError, ValidationFailed
from sablier.organisation.models import Department
from sablier.understand.reading import INTENTS, SENTIMENTS, URGENCIES


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = access_case(request.user, case_id)
    except NotFound:
        return render(request, "sablier/not_found.html", status=404)
    actor = person(request.user)
    language = get_language() or "en"
    detail = case_detail(case, actor)
    context = {
        "case": detail,
        "latest_version": detail["drafts"][-1]["version"] if detail["drafts"] else "",
        "department_name": case.department.name(language) if case.department else "",
        "case_is_central": bool(case.department and case.department.is_central),
        "departments": Department.objects.all(),
        "central": is_central(request.user),
        "corrections": corrections(case),
        "canned": [c.as_dict() for c in canned_for_case(case, actor)],
    }
    return render(request, "sablier/case.html", context)


def corrections(case: Case) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Each correctable dimension: name, translated title, current value, the values to choose from."""
    return [
        ("sentiment", gettext("Sentiment"), case.sentiment, SENTIMENTS),
        ("intent", gettext("Intent"), case.intent, INTENTS),
        ("urgency", gettext("Urgency"), case.urgency, URGENCIES),
    ]


def _version(form: QueryDict) -> int | None:
    raw = form.get("based_on", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationFailed("based_on must be a version number", [FieldError("based_on", raw)])
    return int(raw)


def _draft(case: Case, actor: User, form: QueryDict) -> object:
    return do_draft_reply(case, actor, form.get("text", ""), _version(form), form.get("force") == "on")


def _approval(case: Case, actor: User, form: QueryDict) -> object:
    approval_id = form.get("approval", "")
    if not approval_id.isdigit():
        raise ValidationFailed("which approval?", [FieldError("approval", "missing")])
    return do_decide_approval(
        case, actor, int(approval_id), form.get("decision", ""), form.get("comment", "")
    )


ACTIONS: dict[str, Callable[[Case, User, QueryDict], object]] = {
    "route": lambda c, a, f: do_reroute_case(c, a, f.get("department", ""), f.get("reason", "")),
    "label": lambda c, a, f: do_relabel_case(c, a, f.get("dimension", ""), f.get("value", "")),
    "comment": lambda c, a, f: do_comment_case(c, a, f.get("text", "")),
    "draft": _draft,
    "transition": lambda c, a, f: do_move_case(c, a, f.get("state", "")),
    "claim": lambda c, a, f: do_claim_case(c, a),
    "release": lambda c, a, f: do_release_case(c, a),
    "handoff": lambda c, a, f: do_hand_off_case(c, a, f.get("department", ""), f.get("reason", "")),
    "handback": lambda c, a, f: do_hand_back_case(c, a, f.get("reason", "")),
    "approval": _approval,
}


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        return render(request, "sablier/not_found.html", status=404)
    try:
        ACTIONS[action](access_case(request.user, case_id), person(request.user), request.POST)
    except NotFound:
        return render(request, "sablier/not_found.html", status=404)
    except SablierError as exc:
        details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
        messages.error(request, f"{exc.message}{' — ' + details if details else ''}")
    return redirect("case", case_id=case_id)


@login_required
@require_http_methods(["GET", "POST"])
def case_presence(request: HttpRequest, case_id: int) -> HttpResponse:
    """POST is the heartbeat of an open case page (it tells the others); GET only reads who else is here."""
    try:
        case = access_case(request.user, case_id, audit=False)
    except NotFound:
        return render(request, "sablier/not_found.html", status=404)
    actor = person(request.user)
    if request.method == "POST":
        others = do_mark_viewing(case, actor, request.POST.get("drafting") == "true")
    else:
        others = viewers_of(case, but=actor)
    return render(request, "sablier/_viewers.html", {"others": others})
