"""Negation scope: does a "not", "pas" or "jamais" just before a cue turn it around?"""

from __future__ import annotations

import re
from functools import lru_cache

from sablier.understand.lexicon import Hit, find, matchable

CLAUSE_BREAK = re.compile(r"[.,;:!?]|\b(?:but|however|mais|cependant|pourtant)\b")
SCOPE_WORDS = 3


@lru_cache(maxsize=1024)
def negations(text: str) -> tuple[Hit, ...]:
    """Negation words, minus the ones that negate nothing ("le plus rapide")."""
    idle = find("not_negation", text)
    return tuple(hit for hit in find("negation", text) if not any(hit.overlaps(i) for i in idle))


def negated(text: str, hit: Hit) -> bool:
    """True when a negation ends at most three words before `hit`, in the same clause."""
    folded = matchable(text)
    for neg in negations(text):
        gap = folded[neg.end : hit.start]
        if neg.end <= hit.start and len(gap.split()) < SCOPE_WORDS and not CLAUSE_BREAK.search(gap):
            return True
    return False


def affirmed(category: str, text: str) -> tuple[Hit, ...]:
    """Hits of `category` that are not negated: "no problem" is not a problem."""
    return tuple(hit for hit in find(category, text) if not negated(text, hit))
