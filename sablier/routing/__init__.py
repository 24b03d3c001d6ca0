from sablier.routing.decision import Decision, Facts, route
from sablier.routing.rules import Rule, RuleSet, parse_rules

__all__ = ["Decision", "Facts", "Rule", "RuleSet", "parse_rules", "route"]
