"""route(): the first matching rule decides the owning department, and says why."""

from __future__ import annotations

from dataclasses import dataclass, field

from sablier.routing.rules import Rule, RuleSet
from sablier.routing.text import find_phrases
from sablier.understand.text import fold


@dataclass(frozen=True)
class Facts:
    """What routing may look at; built from a mention and its reading."""

    text: str
    network: str
    author: str
    language: str
    sentiment: str
    intent: str
    urgency: str
    assessment: str
    signals: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Decision:
    department: str
    consulted: tuple[str, ...]
    monitor_only: bool
    rule: str
    reasons: tuple[str, ...]


def _matches(rule: Rule, facts: Facts) -> list[str] | None:
    """The reasons the rule matches, or None when one of its conditions fails."""
    reasons: list[str] = []
    for key, wanted in rule.when.items():
        if key == "keywords":
            hits = find_phrases(facts.text, wanted)
            if not hits:
                return None
            reasons.append("keywords: " + ", ".join(repr(h) for h in hits))
        elif key == "signal":
            hits = sorted(wanted & facts.signals)
            if not hits:
                return None
            reasons.append("signal: " + ", ".join(hits))
        else:
            value = fold(facts.author) if key == "author" else getattr(facts, key)
            candidates = {fold(w) for w in wanted} if key == "author" else wanted
            if value not in candidates:
                return None
            reasons.append(f"{key} is {value}")
    return reasons


def route(facts: Facts, rules: RuleSet) -> Decision:
    for rule in rules.rules:
        reasons = _matches(rule, facts)
        if reasons is not None:
            because = "; ".join(reasons) or "always"
            explained = [f"rule {rule.name!r} ({because}) → {rule.department}"]
            if rule.consult:
                explained.append("consult " + ", ".join(rule.consult))
            if rule.monitor_only:
                explained.append("monitor only: no public answer")
            return Decision(rule.department, rule.consult, rule.monitor_only, rule.name, tuple(explained))
    default = rules.default_department
    return Decision(default, (), False, "default", (f"no rule matched → default department {default}",))
