"""Approval rules as data: parsing with errors that name the field, and which rules a draft matches."""

from __future__ import annotations

from typing import Any

import pytest

from sablier.errors import ValidationFailed
from sablier.routing.approval_rules import DraftFacts, parse_approval_rules, required_approvals

DEPARTMENTS = {"central", "customer-service", "pr", "legal"}
RULES = parse_approval_rules(
    [
        {"name": "crisis", "when": {"intent": "crisis"}, "approvers": ["pr", "legal"]},
        {"name": "press", "when": {"intent": ["press"]}, "approvers": ["pr"]},
        {"name": "trainee", "when": {"author_level": "trainee"}, "approvers": ["senior"]},
        {
            "name": "money",
            "when": {"draft_has": ["amount", "promise"]},
            "approvers": ["customer-service:lead"],
        },
    ],
    DEPARTMENTS,
)


def _facts(**overrides: Any) -> DraftFacts:
    values: dict[str, Any] = {
        "intent": "complaint",
        "urgency": "normal",
        "sentiment": "negative",
        "department": "customer-service",
        "network": "mastodon",
        "language": "en",
        "author_level": "enrolled",
        "draft_has": {},
    }
    return DraftFacts(**{**values, **overrides})


def _errors(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as failed:
        parse_approval_rules(data, DEPARTMENTS)
    return [(e.field, e.message) for e in failed.value.errors]


def test_it_names_an_unknown_condition() -> None:
    errors = _errors([{"name": "x", "when": {"colour": "red"}, "approvers": ["pr"]}])
    assert [field for field, _ in errors] == ["approvals[0].when.colour"]
    assert "unknown condition" in errors[0][1] and "draft_has" in errors[0][1]


def test_it_names_an_unknown_approver_and_a_bad_role() -> None:
    errors = _errors(
        [
            {"name": "ok", "when": {"intent": "press"}, "approvers": ["pr"]},
            {"name": "x", "when": {"intent": "press"}, "approvers": ["finance", "pr:boss"]},
        ]
    )
    assert [field for field, _ in errors] == ["approvals[1].approvers", "approvals[1].approvers"]
    assert "'finance'" in errors[0][1] and "'pr:boss'" in errors[1][1]


def test_it_names_an_unknown_draft_finding_and_missing_approvers() -> None:
    errors = _errors([{"name": "x", "when": {"draft_has": ["emoji"]}}])
    assert [field for field, _ in errors] == ["approvals[0].when.draft_has", "approvals[0].approvers"]
    assert _errors({"name": "not a list"}) == [("approvals", "a list of rules")]
    assert _errors(["just a string"])[0][0] == "approvals[0]"


def test_it_accepts_departments_leads_and_seniors() -> None:
    rules = parse_approval_rules(
        [{"name": "all", "when": {}, "approvers": ["senior", "legal:lead", "pr"]}], DEPARTMENTS
    )
    assert rules[0].approvers == ("legal:lead", "pr", "senior")
    assert parse_approval_rules(None, DEPARTMENTS) == ()
    assert [r.approver for r in required_approvals(rules, _facts())] == ["legal:lead", "pr", "senior"]


def test_it_asks_the_lead_for_an_amount_or_a_promise_with_what_matched() -> None:
    found = required_approvals(RULES, _facts(draft_has={"amount": ["25 $"]}))
    assert [(r.approver, r.reason) for r in found] == [
        ("customer-service:lead", "rule 'money': the draft has amount '25 $'")
    ]
    assert required_approvals(RULES, _facts()) == []


def test_it_joins_every_matching_rule_and_keeps_each_approver_once() -> None:
    found = required_approvals(RULES, _facts(intent="crisis", author_level="trainee"))
    assert sorted(r.approver for r in found) == ["legal", "pr", "senior"]
    both = required_approvals(RULES, _facts(intent="crisis"))
    assert [r.reason for r in both if r.approver == "pr"] == ["rule 'crisis': intent is crisis"]


def test_it_needs_every_condition_of_a_rule() -> None:
    rules = parse_approval_rules(
        [{"name": "fr press", "when": {"intent": "press", "language": "fr"}, "approvers": ["pr"]}],
        DEPARTMENTS,
    )
    assert required_approvals(rules, _facts(intent="press", language="en")) == []
    assert [r.approver for r in required_approvals(rules, _facts(intent="press", language="fr"))] == ["pr"]
