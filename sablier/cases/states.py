"""The life of a case, from the public post to the answer."""

from __future__ import annotations

from sablier.workflow import StateGraph

NEW = "new"
TRIAGED = "triaged"
ROUTED = "routed"
IN_DEPARTMENT = "in_department"
DRAFTED = "drafted"
AWAITING_APPROVAL = "awaiting_approval"
ANSWERED = "answered"
CLOSED = "closed"
MONITOR_ONLY = "monitor_only"
REOPENED = "reopened"


CASE_STATES = StateGraph(
    name="case",
    initial=NEW,
    transitions={
        NEW: frozenset({TRIAGED}),
        TRIAGED: frozenset({ROUTED, MONITOR_ONLY}),
        ROUTED: frozenset({ROUTED, IN_DEPARTMENT, MONITOR_ONLY, CLOSED}),
        IN_DEPARTMENT: frozenset({ROUTED, DRAFTED, MONITOR_ONLY, CLOSED}),
        DRAFTED: frozenset({DRAFTED, AWAITING_APPROVAL, IN_DEPARTMENT, ROUTED, ANSWERED}),
        AWAITING_APPROVAL: frozenset({DRAFTED, ANSWERED}),
        ANSWERED: frozenset({CLOSED, REOPENED}),
        MONITOR_ONLY: frozenset({ROUTED, CLOSED, REOPENED}),
        CLOSED: frozenset({REOPENED}),
        REOPENED: frozenset({ROUTED, IN_DEPARTMENT, MONITOR_ONLY, CLOSED}),
    },
)
