import pytest

from sablier.errors import ValidationFailed
from sablier.organisation.config import load_organisation, parse_organisation
from sablier.routing import Facts, parse_rules, route

RULES = load_organisation(None).rules


def facts(**overrides: object) -> Facts:
    base = {
        "text": "hello",
        "network": "mastodon",
        "author": "@a@b.c",
        "language": "en",
        "sentiment": "neutral",
        "intent": "other",
        "urgency": "normal",
        "assessment": "final_evaluation",
        "signals": frozenset(),
    }
    base.update(overrides)
    return Facts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("intent", "department"),
    [
        ("complaint", "customer-service"),
        ("question", "customer-service"),
        ("praise", "marketing"),
        ("sales_lead", "marketing"),
        ("job", "hr"),
        ("press", "pr"),
        ("partnership", "marketing"),
    ],
)
def test_it_follows_the_usual_ownership(intent: str, department: str) -> None:
    assert route(facts(intent=intent), RULES).department == department


def test_it_sends_a_crisis_to_pr_and_consults_legal() -> None:
    decision = route(facts(intent="crisis", urgency="critical"), RULES)
    assert (decision.department, "legal" in decision.consulted) == ("pr", True)


def test_it_keeps_trolls_at_the_waist_in_monitor_only() -> None:
    decision = route(facts(intent="spam_troll", assessment="troll"), RULES)
    assert (decision.department, decision.monitor_only) == ("central", True)


def test_it_sends_technical_complaints_to_tech_support() -> None:
    assert (
        route(facts(intent="complaint", signals=frozenset({"technical"})), RULES).department == "tech-support"
    )


def test_it_matches_keywords_without_accents_or_case() -> None:
    decision = route(facts(intent="complaint", text="Je vais envoyer une MISE EN DEMEURE"), RULES)
    assert decision.department == "legal"
    assert "'mise en demeure'" in decision.reasons[0]


def test_it_does_not_match_a_keyword_inside_another_word() -> None:
    assert route(facts(intent="complaint", text="the AMFibian app"), RULES).department == "customer-service"


def test_it_falls_back_to_the_default_with_a_reason() -> None:
    decision = route(facts(intent="other"), RULES)
    assert decision.department == "central" and "no rule matched" in decision.reasons[0]


def test_it_names_every_bad_key_of_a_rule_file() -> None:
    with pytest.raises(ValidationFailed) as invalid:
        parse_rules(
            {"default": "nowhere", "rules": [{"when": {"colour": "red"}, "department": "x"}]}, {"central"}
        )
    fields = {e.field for e in invalid.value.errors}
    assert fields == {"routing.rules[0].when.colour", "routing.rules[0].department", "routing.default"}


def test_it_requires_exactly_one_central_department() -> None:
    with pytest.raises(ValidationFailed) as invalid:
        parse_organisation({"departments": [{"slug": "a"}, {"slug": "b"}]})
    assert invalid.value.errors[0].field == "departments"
