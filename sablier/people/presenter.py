"""A person as plain data: handles, cases, sentiment over time, holds, opt-outs, audit."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sablier.cases.models import Case
from sablier.cases.queries import with_first_text
from sablier.listen.models import Mention
from sablier.people.contact_policy import contact_policy
from sablier.people.identifiers import Identifier
from sablier.people.models import Person
from sablier.people.suggestions import merge_suggestions


def _sentiment_over_time(person: Person) -> list[dict[str, Any]]:
    mentions = Mention.objects.filter(author__person=person, direction="inbound").order_by("created_at")
    return [
        {
            "at": m.created_at,
            "sentiment": (m.reading or {}).get("sentiment", {}).get("value", ""),
            "network": m.network,
            "case_id": m.case_id,
            "text": m.text,
        }
        for m in mentions
    ]


def _cases(person: Person) -> list[dict[str, Any]]:
    cases = with_first_text(
        Case.objects.filter(mentions__author__person=person).distinct().select_related("department")
    )
    return [
        {
            "id": c.pk,
            "state": c.state,
            "intent": c.intent,
            "sentiment": c.sentiment,
            "department": c.department.slug if c.department else None,
            "excerpt": (getattr(c, "first_text", "") or "")[:160],
        }
        for c in cases.order_by("-pk")
    ]


def person_detail(person: Person) -> dict[str, Any]:
    cases = _cases(person)
    policy = contact_policy([Identifier(person_id=person.pk)], "marketing", timezone.now())[0]
    return {
        "id": person.pk,
        "display_name": person.display_name,
        "merged_into": person.merged_into_id,
        "handles": [
            {
                "id": h.pk,
                "network": h.network,
                "handle": h.handle,
                "display_name": h.display_name,
                "profile_url": h.profile_url,
                "verified_email": h.verified_email,
            }
            for h in person.handles.all()
        ],
        "cases": cases,
        "departments": sorted({c["department"] for c in cases if c["department"]}),
        "messages": _sentiment_over_time(person),
        "contact_policy": policy.to_json(),
        "holds": [
            {
                "case_id": h.case_id,
                "reason": h.reason,
                "department": h.department,
                "started_at": h.started_at,
                "until": h.until,
            }
            for h in person.holds.all()
        ],
        "opt_outs": [
            {"channel": o.channel, "reason": o.reason, "source": o.source, "at": o.at}
            for o in person.opt_outs.all()
        ],
        "suggested_merges": [
            {"person_id": s.person_id, "evidence": list(s.evidence)} for s in merge_suggestions(person)
        ],
        "events": [
            {
                "verb": e.verb,
                "at": e.at,
                "actor": e.actor.get_username() if e.actor else None,
                "detail": e.detail,
            }
            for e in person.events.select_related("actor")
        ],
    }
