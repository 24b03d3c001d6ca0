"""Signals: facts about a message that the tree, urgency and routing ask about."""

from __future__ import annotations

from sablier.understand.lexicon import Hit, find, hits_by_category
from sablier.understand.negation import affirmed
from sablier.understand.sarcasm import find_sarcasm
from sablier.understand.text import strip_markup

# Signal name -> lexicon category whose (non-negated) cues raise it.
LEXICAL = {
    "profanity": "profanity",
    "misinformation": "misinformation",
    "negative_experience": "negative_experience",
    "technical": "technical",
    "threat": "threat",
    "self_harm": "self_harm",
    "safety": "safety",
    "urgent": "urgent",
    "spam": "spam",
    "rant": "rant",
    "insult": "insult",
}
UNCONDITIONAL = frozenset({"threat", "self_harm", "safety"})  # "kill myself" is self-harm only
SIGNALS = (*LEXICAL, "hostile", "sarcasm", "question_mark", "dedicated_bashing", "complaint")
BASHING_INSULTS = 2


def signal_hits(text: str) -> dict[str, tuple[Hit, ...]]:
    """The hits behind each lexical signal; safety cues ignore negation, to err on the safe side."""
    found = hits_by_category(text)
    hits = {
        name: found[cat] if name in UNCONDITIONAL else affirmed(cat, text)
        for name, cat in LEXICAL.items()
        if cat in found
    }
    if "threat" in hits and "self_harm" in hits:
        harm = hits["self_harm"]
        hits["threat"] = tuple(h for h in hits["threat"] if not any(h.overlaps(s) for s in harm))
    return {name: found for name, found in hits.items() if found}


Cues = dict[str, tuple[str, ...]]


def signals_and_cues(text: str, negative: bool) -> tuple[frozenset[str], Cues]:
    """Every signal raised by `text`, given whether it reads negative, and the cues behind each."""
    hits = signal_hits(text)
    cues = {name: tuple(dict.fromkeys(h.cue for h in found)) for name, found in hits.items()}
    return raised_signals(text, set(hits), negative), cues


def raised_signals(text: str, raised: set[str], negative: bool) -> frozenset[str]:
    if (find("complaint", text) or "technical" in raised) and negative:
        raised.add("negative_experience")  # "your fees are ridiculous" is an experience too
    if find_sarcasm(text):
        raised.add("sarcasm")
    if "?" in text and "?" in strip_markup(text):
        raised.add("question_mark")
    if raised & {"insult", "threat"} or ("profanity" in raised and negative):
        raised.add("hostile")  # insults or threats, or swearing in a negative message
    if bashing(raised, text):
        raised.add("dedicated_bashing")
    return frozenset(raised)


def bashing(raised: set[str], text: str) -> bool:
    """Repeated insults and no concrete issue to fix: bashing for its own sake."""
    abuse = len(find("insult", text)) + len(find("profanity", text))
    concrete = raised & {"negative_experience", "technical", "question_mark"}
    return "insult" in raised and abuse >= BASHING_INSULTS and not concrete
