"""Keyword matching for routing rules: case- and accent-insensitive, whole words only."""

from __future__ import annotations

import re
from functools import lru_cache

from sablier.understand.text import fold


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in fold(phrase).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def find_phrases(text: str, phrases: frozenset[str]) -> list[str]:
    folded = fold(text)
    return sorted(p for p in phrases if phrase_pattern(p).search(folded))
