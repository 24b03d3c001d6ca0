"""measure(): the KPIs of a department, or of the organisation, for a span of time, read from the hub."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sablier.cases.models import Case, CaseEvent
from sablier.listen.models import INBOUND, Mention
from sablier.reports.kpi import CaseFacts, ClockFacts, Kpis, Spend, compute_kpis
from sablier.reports.models import Budget
from sablier.reports.periods import months_overlapping
from sablier.sla.models import CaseClock

RECOVERED = ("neutral", "positive")


def cohort(start: datetime, end: datetime, department: str | None) -> QuerySet[Case]:
    """The cases opened in [start, end), of the department that owns them now."""
    cases = Case.objects.filter(created_at__gte=start, created_at__lt=end)
    return cases.filter(department__slug=department) if department else cases


def sentiment_of(reading: Any) -> str:
    return str(((reading or {}).get("sentiment") or {}).get("value", ""))


def _inbound(cases: QuerySet[Case], end: datetime) -> dict[int, list[tuple[str, str]]]:
    """Per case, its inbound messages before the end, oldest first: (network, sentiment read)."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    mentions = Mention.objects.filter(case__in=cases, direction=INBOUND, created_at__lt=end)
    for case_id, network, reading in mentions.order_by("created_at", "pk").values_list(
        "case_id", "network", "reading"
    ):
        found[case_id].append((network, sentiment_of(reading)))
    return found


def _moves(cases: QuerySet[Case], end: datetime) -> dict[int, list[tuple[str, datetime]]]:
    """Per case, its state changes before the end, in order."""
    found: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    events = CaseEvent.objects.filter(case__in=cases, at__lt=end).exclude(to_state="")
    for case_id, state, at in events.order_by("at", "pk").values_list("case_id", "to_state", "at"):
        found[case_id].append((state, at))
    return found


def case_facts(cases: QuerySet[Case], end: datetime) -> list[CaseFacts]:
    inbound, moves = _inbound(cases, end), _moves(cases, end)
    facts = []
    for pk, intent, sentiment, opened_at in cases.values_list("pk", "intent", "sentiment", "created_at"):
        messages, states = inbound.get(pk, []), moves.get(pk, [])
        last_state = states[-1][0] if states else "new"
        facts.append(
            CaseFacts(
                intent=intent,
                network=messages[0][0] if messages else "",
                opened_at=opened_at,
                first_answer_at=next((at for state, at in states if state == "answered"), None),
                closed=last_state == "closed",
                monitored=last_state == "monitor_only",
                negative=sentiment == "negative",
                recovered=len(messages) > 1 and messages[-1][1] in RECOVERED,
            )
        )
    return facts


def clock_facts(cases: QuerySet[Case]) -> list[ClockFacts]:
    fields = [
        "first_response_due",
        "first_response_at",
        "breached_first_response",
        "resolution_due",
        "resolved_at",
        "breached_resolution",
    ]
    return [ClockFacts(**row) for row in CaseClock.objects.filter(case__in=cases).values(*fields)]


def _money(budget: Budget, share: float, actual: bool) -> Spend:
    hours = budget.actual_people_hours if actual and budget.actual_people_hours is not None else None
    tools = budget.actual_tools if actual and budget.actual_tools is not None else None
    promotion = budget.actual_paid_promotion if actual and budget.actual_paid_promotion is not None else None
    return Spend(
        people=share * budget.hourly_cost * (budget.people_hours if hours is None else hours),
        tools=share * (budget.tools if tools is None else tools),
        promotion=share * (budget.paid_promotion if promotion is None else promotion),
    )


def budget_and_spend(start: datetime, end: datetime, department: str | None) -> tuple[Spend, Spend] | None:
    """Monthly budgets prorated by the days of each month inside the span; None when none is set."""
    shares = dict(months_overlapping(start, end))
    budgets = Budget.objects.filter(period__in=list(shares))
    if department:
        budgets = budgets.filter(department__slug=department)
    total, spent = Spend(), Spend()
    found = False
    for budget in budgets:
        found = True
        share = shares[budget.period]
        total, spent = _add(total, _money(budget, share, False)), _add(spent, _money(budget, share, True))
    return (total, spent) if found else None


def _add(a: Spend, b: Spend) -> Spend:
    return Spend(
        round(a.people + b.people, 2), round(a.tools + b.tools, 2), round(a.promotion + b.promotion, 2)
    )


def measure(
    start: datetime, end: datetime, department: str | None = None, now: datetime | None = None
) -> Kpis:
    """The KPIs of the cases opened in [start, end); SLA due times are judged at `now` if earlier."""
    cases = cohort(start, end, department)
    money = budget_and_spend(start, end, department)
    budget, spend = money if money else (None, None)
    facts = case_facts(cases, end)
    window = (start, end, department)
    return compute_kpis(facts, clock_facts(cases), window, budget, spend, as_of=now or timezone.now())
