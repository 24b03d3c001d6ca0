"""Sentiment from a bilingual lexicon, with negation, intensifiers, contrast and sarcasm."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sablier.understand.lexicon import Hit, find, matchable, without_overlaps
from sablier.understand.negation import affirmed, negated
from sablier.understand.reading import Judgement
from sablier.understand.sarcasm import find_sarcasm

THRESHOLD = 0.75
CONTRAST = re.compile(r"\b(?:but|however|mais|cependant|pourtant|sauf que)\b")
MAX_REASONS = 6


@dataclass(frozen=True)
class Term:
    """One scored cue: the hit, its signed weight, and its kind for the reasons."""

    hit: Hit
    polarity: float
    kind: str


def terms(text: str) -> list[Term]:
    """Sentiment words and bad experiences, longest cue winning where they overlap."""
    pool = [Term(h, 1.0, "positive") for h in find("positive", text)]
    pool += [Term(h, -1.0, "negative") for h in find("negative", text)]
    pool += [Term(h, -1.0, "negative experience") for h in affirmed("negative_experience", text)]
    pool += [Term(h, -1.0, "insult") for h in find("insult", text)]
    pool += [Term(h, -0.5, "profanity") for h in find("profanity", text)]
    kept = set(without_overlaps([t.hit for t in pool]))
    ordered = sorted((t for t in pool if t.hit in kept), key=lambda t: t.hit.start)
    following: list[Term | None] = [*ordered[1:], None]
    return [t for i, t in enumerate(ordered) if not glued(text, t, following[i])]


def glued(text: str, term: Term, after: Term | None) -> bool:
    """'super' in 'super lent' intensifies the next word instead of praising."""
    intensifiers = {hit.cue for hit in find("intensifier", text)}
    close = after is not None and after.hit.start - term.hit.end <= 1
    return close and term.hit.cue in intensifiers


def boosted(text: str, hit: Hit) -> bool:
    """An intensifier ("très", "so") or a swear word right before the cue."""
    boosters = [*find("intensifier", text), *find("profanity", text)]
    return any(0 <= hit.start - b.end <= 1 for b in boosters)


def weigh(text: str, term: Term, sarcastic: bool) -> tuple[float, str]:
    score, label = term.polarity, f"{term.kind}: '{term.hit.cue}'"
    if term.kind in {"positive", "negative"} and negated(text, term.hit):
        score, label = -score * (0.8 if score > 0 else 0.5), f"negated {label}"
    if sarcastic and score > 0:
        score, label = -score, f"sarcastic {label}"
    if boosted(text, term.hit):
        score *= 1.5
    if CONTRAST.search(matchable(text)[: term.hit.start]):
        score *= 2.0  # what follows "but" is what the writer means
    return score, label


def detect_sentiment(text: str) -> Judgement:
    """negative / neutral / positive, with the cues that decided it."""
    sarcasm = find_sarcasm(text)
    weighed = [weigh(text, t, bool(sarcasm)) for t in terms(text)]
    score = sum(s for s, _ in weighed) - len(sarcasm)
    reasons = (*sarcasm, *(label for _, label in weighed))[:MAX_REASONS]
    if score >= THRESHOLD:
        return Judgement("positive", polar_confidence(score), reasons)
    if score <= -THRESHOLD:
        return Judgement("negative", polar_confidence(score), reasons)
    return Judgement("neutral", 0.5 if weighed else 0.7, reasons or ("no sentiment cue",))


def polar_confidence(score: float) -> float:
    return round(min(0.95, 0.5 + 0.12 * abs(score)), 3)
