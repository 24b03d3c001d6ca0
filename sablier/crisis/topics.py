"""What a mention is about, for crisis detection — pure.

Topics are named `keyword:<phrase>` (a routing rule's keywords), `topic:<name>` and `watch:<name>`
(the `crisis:` section), `intent:<intent>` (the message's reading) and `burst:crisis`."""

from __future__ import annotations

from dataclasses import dataclass

from sablier.crisis.config import CrisisConfig
from sablier.routing import RuleSet
from sablier.routing.text import find_phrases

BURST = "burst:crisis"
# Spam floods and "other" are not a crisis of the organisation's making; the rest are tracked.
UNTRACKED_INTENTS = frozenset({"spam_troll", "other", ""})


@dataclass(frozen=True)
class Topic:
    key: str
    phrases: frozenset[str]

    @property
    def watched(self) -> bool:
        return self.key.startswith("watch:")


def tracked_topics(config: CrisisConfig, rules: RuleSet) -> tuple[Topic, ...]:
    keywords = sorted({k for rule in rules.rules for k in rule.when.get("keywords", frozenset())})
    return (
        *(Topic(f"keyword:{k}", frozenset({k})) for k in keywords),
        *(Topic(f"topic:{t.name}", t.phrases) for t in config.topics),
        *(Topic(f"watch:{w.name}", w.phrases) for w in config.watch),
    )


def topics_of(text: str, intent: str, topics: tuple[Topic, ...]) -> list[str]:
    """The topics one message counts towards."""
    hits = set(find_phrases(text, frozenset().union(*(t.phrases for t in topics))))
    found = [t.key for t in topics if hits & t.phrases]
    return found + ([] if intent in UNTRACKED_INTENTS else [f"intent:{intent}"])
