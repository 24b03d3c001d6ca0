"""Why a case sits where it sits, and what comes next under the operating model: for the case page
and the API alike."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from sablier.cases.approvals import latest_draft, may_approve, requirements_for
from sablier.cases.governance import actor_of, case_facts
from sablier.cases.models import Case
from sablier.cases.presence import viewers_of
from sablier.organisation.actions import current_organisation, current_structure
from sablier.routing.operating_models import may_draft, may_publish, model_named
from sablier.sla.view import sla_summary


def _approvals(case: Case, viewer: User | None) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "version": a.draft_version,
            "approver": a.approver,
            "reason": a.reason,
            "state": a.state,
            "decided_by": a.decided_by.get_username() if a.decided_by else None,
            "comment": a.comment,
            "decided_at": a.decided_at,
            "yours": bool(viewer and a.state == "pending" and may_approve(viewer, a.approver, case)),
        }
        for a in case.approvals.select_related("decided_by")
    ]


def case_path(case: Case, viewer: User | None = None) -> dict[str, Any]:
    model = model_named(current_organisation().operating_model)
    structure = current_structure()
    facts = case_facts(case)
    draft = latest_draft(case)
    actor = actor_of(viewer) if viewer else None
    return {
        "operating_model": {
            "slug": model.slug,
            "en": model.name_en,
            "fr": model.name_fr,
            "summary_en": model.summary_en,
            "summary_fr": model.summary_fr,
        },
        "why_here": [
            r
            for r in case.reasons
            if r.startswith(("rule ", "operating model ", "manual", "re-routed", "no rule"))
        ],
        "assignee": case.assignee.get_username() if case.assignee else None,
        "needs_approval": [
            {"approver": r.approver, "reason": r.reason} for r in requirements_for(case, draft)
        ]
        if draft
        else [],
        "approvals": _approvals(case, viewer),
        "you_may": {
            "draft": actor is not None and may_draft(model.slug, actor, facts, structure) is None,
            "publish": actor is not None and may_publish(model.slug, actor, facts, structure) is None,
        },
        "viewers": viewers_of(case, but=viewer),
        "sla": sla_summary(case, timezone.now()),
    }
