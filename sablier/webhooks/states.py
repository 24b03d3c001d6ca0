"""The life of a delivery: pending until sent or given up; a failed one may be put back."""

from __future__ import annotations

from sablier.workflow import StateGraph

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"

DELIVERY_STATES = StateGraph(
    name="delivery",
    initial=PENDING,
    transitions={
        PENDING: frozenset({DELIVERED, FAILED}),
        DELIVERED: frozenset(),
        FAILED: frozenset({PENDING}),
    },
)
