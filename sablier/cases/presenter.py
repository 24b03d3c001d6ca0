"""A case as plain data, for the API and the pages alike."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from sablier.cases.models import Case
from sablier.cases.path import case_path
from sablier.cases.reply_check import draft_report
from sablier.cases.states import CASE_STATES


def excerpt(case: Case, length: int = 160) -> str:
    """From the `first_text` annotation of cases.queries.with_first_text, or one query."""
    first = getattr(case, "first_text", None)
    if first is None:
        first = case.mentions.order_by("created_at", "pk").values_list("text", flat=True).first() or ""
    return first if len(first) <= length else first[: length - 1] + "…"


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "state": case.state,
        "department": case.department.slug if case.department else None,
        "assignee": case.assignee.get_username() if case.assignee_id and case.assignee else None,
        "language": case.language,
        "sentiment": case.sentiment,
        "intent": case.intent,
        "urgency": case.urgency,
        "assessment": case.assessment,
        "assessment_outcome": case.assessment_outcome,
        "last_message_at": case.last_message_at,
        "excerpt": excerpt(case),
    }


def _confidence(case: Case) -> dict[str, float]:
    reading = case.understanding.get("reading", {})
    return {k: v["confidence"] for k, v in reading.items() if isinstance(v, dict) and "confidence" in v}


def _messages(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "network": m.network,
            "external_id": m.external_id,
            "direction": m.direction,
            "author": {
                "handle": m.author.handle,
                "display_name": m.author.display_name,
                "profile_url": m.author.profile_url,
                "person_id": m.author.person_id,
            },
            "text": m.text,
            "url": m.url,
            "created_at": m.created_at,
            "in_reply_to": m.in_reply_to,
        }
        for m in case.mentions.select_related("author").order_by("created_at", "pk")
    ]


def case_detail(case: Case, viewer: User | None = None) -> dict[str, Any]:
    return {
        **case_summary(case),
        **case_path(case, viewer),
        "consulted": list(case.consulted.values_list("slug", flat=True)),
        "reasons": case.reasons,
        "confidence": _confidence(case),
        "labels": {
            name: judgement["value"]
            for name, judgement in case.understanding.get("reading", {}).get("labels", {}).items()
        },
        "considerations": case.understanding.get("assessment", {}).get("considerations", []),
        "allowed_transitions": sorted(CASE_STATES.transitions[case.state] - {case.state}),
        "messages": _messages(case),
        "comments": [
            {"id": c.pk, "author": c.author.get_username(), "text": c.text, "created_at": c.created_at}
            for c in case.comments.select_related("author")
        ],
        "drafts": [
            {
                "version": d.version,
                "author": d.author.get_username(),
                "text": d.text,
                "created_at": d.created_at,
            }
            for d in case.drafts.select_related("author")
        ],
        "guardrails": _guardrails(case),
        "events": [
            {
                "verb": e.verb,
                "actor": e.actor.get_username() if e.actor else None,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "at": e.at,
                "detail": e.detail,
            }
            for e in case.events.select_related("actor")
        ],
    }


def _guardrails(case: Case) -> dict[str, Any] | None:
    report = draft_report(case)
    return None if report is None else report.to_json()
