"""Listing cases: filters, text search and keyset pagination (newest first), never OFFSET."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from sablier.cases import states as case_states
from sablier.cases.access import Memberships, Viewer, memberships, visible_cases
from sablier.cases.models import Case
from sablier.cases.newest import newest_ids, walks
from sablier.cases.search import among_matches, page_match
from sablier.cases.words import search_words
from sablier.errors import FieldError, ValidationFailed
from sablier.listen.models import Mention
from sablier.organisation.models import Department
from sablier.per_batch import once_per_batch

OPEN = "open"  # the `state` filter for every state a department still has to act on
UNREAD = ("understanding", "reasons")  # kilobytes of JSON per case that a list does not show
OPEN_STATES = (
    case_states.ROUTED,
    case_states.IN_DEPARTMENT,
    case_states.DRAFTED,
    case_states.AWAITING_APPROVAL,
    case_states.REOPENED,
)


@dataclass(frozen=True)
class CaseFilter:
    department: str | None = None
    state: str | None = None
    intent: str | None = None
    language: str | None = None
    sentiment: str | None = None
    q: str | None = None


def with_first_text(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with the text of its first message (`first_text`), in the same query."""
    first = Mention.objects.filter(case=OuterRef("pk")).order_by("created_at", "pk").values("text")[:1]
    return cases.annotate(first_text=Subquery(first))


def first_inbound(case_id: int) -> Mention | None:
    """The message that opened the conversation from outside: what triage reads, whose author is held."""

    def read() -> Mention | None:
        mentions = Mention.objects.select_related("author__person").filter(
            case_id=case_id, direction="inbound"
        )
        return mentions.order_by("created_at", "pk").first()

    return once_per_batch(f"first_inbound:{case_id}", read)


def encode_cursor(case_id: int) -> str:
    return base64.urlsafe_b64encode(f"c{case_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("c"):
            raise ValueError(raw)
        return int(raw[1:])
    except ValueError as exc:
        raise ValidationFailed(
            "invalid cursor", [FieldError("cursor", "use next_cursor from a page")]
        ) from exc


def scope_of(actor: Viewer, department: str | None, known: Memberships | None = None) -> QuerySet[Case]:
    """The cases the actor may see. A department's members see every case it owns (as the central
    team sees every case): asked for their own department, they skip visible_cases' joins.
    `known`: the actor's memberships, if already read."""
    known = memberships(actor) if known is None else known
    if department is not None and department in (slug for slug, _ in known):
        return Case.objects.all()
    return visible_cases(actor, known)


def _exact(cases: QuerySet[Case], wanted: CaseFilter) -> QuerySet[Case]:
    """The one-value filters; the department by id, so that it stays on the cases' own indexes."""
    if wanted.department:
        department = Department.objects.filter(slug=wanted.department).values_list("pk", flat=True).first()
        cases = cases.filter(department_id=department) if department else cases.none()
    exact = {"intent": wanted.intent, "language": wanted.language, "sentiment": wanted.sentiment}
    return cases.filter(**{k: v for k, v in exact.items() if v})


def filter_cases(cases: QuerySet[Case], wanted: CaseFilter) -> QuerySet[Case]:
    """Every matching case, unordered and unpaged (the CSV export)."""
    cases = _exact(cases, wanted)
    if wanted.state:
        cases = (
            cases.filter(state__in=OPEN_STATES) if wanted.state == OPEN else cases.filter(state=wanted.state)
        )
    words = search_words(wanted.q)
    return cases.filter(among_matches(words)) if words else cases


def _by_state(
    cases: QuerySet[Case], state: str | None, few_matches: bool
) -> tuple[QuerySet[Case], list[str]]:
    """One walk per open state along its index, unless a few matching cases drive the query."""
    if state != OPEN:
        return cases, [state] if state else []
    return (cases.filter(state__in=OPEN_STATES), []) if few_matches else (cases, list(OPEN_STATES))


def page_of_cases(
    actor: Viewer, wanted: CaseFilter, cursor: str | None, limit: int
) -> tuple[list[Case], str | None]:
    """The `limit` newest matching cases the actor may see, before the cursor."""
    cases = _exact(scope_of(actor, wanted.department), wanted)
    if cursor:
        cases = cases.filter(pk__lt=decode_cursor(cursor))
    words = search_words(wanted.q)
    match = page_match(words) if words else None
    if match is not None:
        cases = cases.filter(match.condition)
    cases, states = _by_state(cases, wanted.state, match is not None and match.few)
    ids = newest_ids(walks(cases, states, limit + 1), limit + 1)
    page = Case.objects.filter(pk__in=ids[:limit]).select_related("department", "assignee").defer(*UNREAD)
    rows = list(with_first_text(page).order_by("-pk"))
    return rows, encode_cursor(ids[limit - 1]) if len(ids) > limit else None
