"""/api/contact-policy: what marketing tools and CRMs ask before they contact anyone."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from sablier.errors import FieldError, ValidationFailed
from sablier.limits import MAX_BULK_IDENTIFIERS
from sablier.people.contact_policy import contact_policy
from sablier.people.identifiers import check_identifier
from sablier.people.policy import MARKETING, check_purpose
from sablier.people.suppressions import suppression_rows

router = Router(tags=["contact policy"])


class PolicyOut(Schema):
    may_contact: bool
    purpose: str
    reasons: list[str]
    hold_until: str | None
    person_id: int | None


class PolicyQuery(Schema):
    network: str | None = None
    handle: str | None = None
    email: str | None = None
    person_id: str | None = None
    purpose: str = MARKETING


class BulkIn(Schema):
    identifiers: list[dict[str, Any]]
    purpose: str = MARKETING


class BulkResult(PolicyOut):
    identifier: dict[str, Any]


class BulkOut(Schema):
    results: list[BulkResult]


@router.get("", response=PolicyOut)
def check_one(request: HttpRequest, query: Query[PolicyQuery]) -> dict[str, Any]:
    """May this person be contacted for marketing? `network`+`handle`, `email` or `person_id`."""
    identifier = check_identifier(query.model_dump(exclude={"purpose"}, exclude_none=True))
    return contact_policy([identifier], check_purpose(query.purpose), timezone.now())[0].to_json()


@router.post("/check", response=BulkOut)
def check_many(request: HttpRequest, payload: BulkIn) -> HttpResponse:
    """Up to 10,000 identifiers in one request; answers in the same order."""
    if not 1 <= len(payload.identifiers) <= MAX_BULK_IDENTIFIERS:
        raise ValidationFailed(
            f"send 1 to {MAX_BULK_IDENTIFIERS} identifiers, not {len(payload.identifiers)}",
            [FieldError("identifiers", f"1 to {MAX_BULK_IDENTIFIERS} items; split larger lists")],
        )
    identifiers = [check_identifier(raw, f"identifiers[{n}].") for n, raw in enumerate(payload.identifiers)]
    answers = contact_policy(identifiers, check_purpose(payload.purpose), timezone.now())
    results = [{"identifier": i.to_json(), **a.to_json()} for i, a in zip(identifiers, answers, strict=True)]
    # Built from typed answers already: re-validating 10,000 rows against BulkOut (kept for the
    # OpenAPI document) would cost about 0.2 s of the one-second budget.
    return JsonResponse({"results": results})


@router.get("/suppressions.csv")
def export_suppressions(request: HttpRequest, since: int | None = None) -> HttpResponse:
    """Every identifier that may not receive marketing now, or, with `since`, what changed after that
    cursor (rows whose `may_contact` became true say so). The next cursor is in `X-Next-Cursor`."""
    rows, cursor = suppression_rows(since, timezone.now())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["person_id", "network", "handle", "may_contact", "hold_until", "reasons"])
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["X-Next-Cursor"] = str(cursor)
    response["Content-Disposition"] = 'attachment; filename="suppressions.csv"'
    return response
