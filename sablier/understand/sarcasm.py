"""Sarcasm: praise wrapped around a bad event ("great, another outage 🙃")."""

from __future__ import annotations

import re
from functools import lru_cache

from sablier.understand.lexicon import Hit, find, matchable
from sablier.understand.negation import affirmed

REPEAT_REACH = 30  # characters from "great" to "another": a few words
EVENT_REACH = 25  # characters from "another" to the "outage" it mocks
PAUSE_REACH = 60  # characters from "Great," to the bad event when there is no repeat marker
CONTRAST = re.compile(r"\b(?:but|however|mais|cependant|pourtant)\b")
ALONE_BEFORE = re.compile(r"(?:^|[.!?…]\s*)$")
ALONE_AFTER = re.compile(r"\s*(?:[.!?…]|$)")
PAUSE = re.compile(r"\s*(?:[,!…]|\.\.\.)")


@lru_cache(maxsize=1024)  # the reader asks twice: for the sentiment, then for the signals
def find_sarcasm(text: str) -> tuple[str, ...]:
    """Reasons, one per sarcastic cue or frame found; empty when the text reads straight."""
    reasons = [f"sarcasm: '{hit.cue}'" for hit in find("sarcasm", text)]
    reasons += [f"sarcasm: '{hit.cue}'" for hit in find("sarcasm_emoji", text)]
    if not find("resolution", text):
        reasons += [f"sarcasm: '{frame}'" for frame in frames(text)]
    return tuple(dict.fromkeys(reasons))


def frames(text: str) -> list[str]:
    """An opener, then a repeat marker or a pause, then a bad event: 'great, another … outage'."""
    openers = [*find("sarcasm_opener", text), *find("sarcasm_thanks", text)]
    if not openers:
        return []
    events = [*affirmed("negative_experience", text), *find("negative", text)]
    found: list[str] = []
    for opener in openers:
        event = (
            repeated_event(text, opener, events)
            or paused_event(text, opener, events)
            or closing_event(text, opener, events)
        )
        if event is not None:
            found.append(f"{opener.cue} … {event.cue}")
    return found


def repeated_event(text: str, opener: Hit, events: list[Hit]) -> Hit | None:
    """'Thanks but still waiting' is a sincere contrast, not a frame."""
    for marker in find("repeat", text):
        between = matchable(text)[opener.end : marker.start]
        if 0 <= marker.start - opener.end <= REPEAT_REACH and not CONTRAST.search(between):
            near = (e for e in events if e.start > opener.end)
            event = next((e for e in near if abs(e.start - marker.start) <= EVENT_REACH), None)
            if event is not None:
                return event
    return None


def paused_event(text: str, opener: Hit, events: list[Hit]) -> Hit | None:
    """'Great, my flight is delayed': thanks followed by a comma stays sincere."""
    if opener.cue in {hit.cue for hit in find("sarcasm_thanks", text)}:
        return None
    if not PAUSE.match(matchable(text), opener.end):
        return None
    return next((e for e in events if 0 < e.start - opener.end <= PAUSE_REACH), None)


def closing_event(text: str, opener: Hit, events: list[Hit]) -> Hit | None:
    """'3 hours on hold. Fantastic.': a one-word verdict after the bad event."""
    folded = matchable(text)
    if opener.cue in {hit.cue for hit in find("sarcasm_thanks", text)}:
        return None
    if not (ALONE_BEFORE.search(folded[: opener.start]) and ALONE_AFTER.match(folded, opener.end)):
        return None
    return next((e for e in events if e.end <= opener.start), None)
