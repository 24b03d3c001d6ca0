"""Bilingual cue phrases, loaded once from the `lexicon_*.yaml` files next to this module.

Cue syntax: whole words after folding (case, accents, apostrophes); `stem*` matches any
ending; ` ... ` skips up to four words; `<n>` is a number in digits or words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from sablier.understand.text import fold, strip_markup

FILES = ("lexicon_intents.yaml", "lexicon_tone.yaml", "lexicon_signals.yaml")
NUMBER = r"(?:\d+|une?|deux|trois|quatre|cinq|six|sept|huit|dix|quinze|vingt|one|two|three|ten)"
GAP = r"(?:\s+\S+){0,4}\s+"
TOKENS = re.compile(r"( \.\.\. |<n>|\*|'| )")
LITERALS = re.compile(r"\.\.\.|<n>|[\s'*]")


@dataclass(frozen=True)
class Cue:
    """A compiled cue, with a literal piece every match must contain (a cheap pre-check)."""

    phrase: str
    pattern: re.Pattern[str]
    anchor: str


def make_cue(phrase: str) -> Cue:
    anchor = max(LITERALS.split(fold(phrase)), key=len)
    return Cue(phrase, compile_cue(phrase), anchor)


@dataclass(frozen=True)
class Hit:
    """One cue found in a text: the cue as written in the lexicon, and where it matched."""

    cue: str
    start: int
    end: int

    def overlaps(self, other: Hit) -> bool:
        return self.start < other.end and other.start < self.end


def compile_cue(cue: str) -> re.Pattern[str]:
    parts = {" ... ": GAP, "<n>": NUMBER, "*": r"\w*", "'": r"(?:'\s*|\s+|)", " ": r"\s+"}
    body = "".join(parts.get(tok, re.escape(tok)) for tok in TOKENS.split(fold(cue)) if tok)
    head = r"(?<!\w)" if re.match(r"\w|<n>", fold(cue)) else ""
    tail = r"(?!\w)" if re.search(r"[\w*]$|<n>$", fold(cue)) else ""
    return re.compile(head + body + tail)


@lru_cache(maxsize=1)
def cues() -> dict[str, tuple[Cue, ...]]:
    """Every category with its compiled cues; raises on a category declared twice."""
    table: dict[str, tuple[Cue, ...]] = {}
    for name in FILES:
        raw = resources.files("sablier.understand").joinpath(name).read_text("utf-8")
        for category, phrases in yaml.safe_load(raw).items():
            if category in table:
                raise ValueError(f"lexicon category {category!r} is declared twice ({name})")
            unique = {fold(str(p)): str(p) for p in reversed(phrases)}  # first spelling wins
            table[category] = tuple(make_cue(p) for p in reversed(unique.values()))
    return table


@lru_cache(maxsize=4096)
def matchable(text: str) -> str:
    return fold(strip_markup(text))


@lru_cache(maxsize=1)
def cues_by_anchor() -> dict[tuple[str, str], tuple[Cue, ...]]:
    grouped: dict[tuple[str, str], list[Cue]] = {}
    for category, found_cues in cues().items():
        for cue in found_cues:
            grouped.setdefault((category, cue.anchor), []).append(cue)
    return {key: tuple(found) for key, found in grouped.items()}


@dataclass(frozen=True)
class Anchors:
    """Anchors that begin a word, by their first two letters; the few others, checked anywhere."""

    at_word_start: dict[str, tuple[str, ...]]
    anywhere: tuple[str, ...]


@lru_cache(maxsize=1)
def anchors() -> Anchors:
    by_start: dict[str, set[str]] = {}
    anywhere: set[str] = set()
    for (_, anchor), found_cues in cues_by_anchor().items():
        if anchor and all(begins_a_word(fold(cue.phrase), anchor) for cue in found_cues):
            by_start.setdefault(anchor[:2], set()).add(anchor)
        elif anchor:
            anywhere.add(anchor)
    return Anchors({k: tuple(v) for k, v in by_start.items()}, tuple(sorted(anywhere)))


def begins_a_word(phrase: str, anchor: str) -> bool:
    at = phrase.find(anchor)
    return at >= 0 and anchor[0].isalnum() and (at == 0 or phrase[at - 1] in " '")


WORD_START = re.compile(r"(?<!\w)\w")


@lru_cache(maxsize=4096)
def anchors_in(folded: str) -> frozenset[str]:
    """The anchors present in a text, found once per text rather than once per category."""
    table = anchors()
    present = {""} | {a for a in table.anywhere if a in folded}
    for match in WORD_START.finditer(folded):
        at = match.start()
        for key in (folded[at : at + 2], folded[at]):
            present.update(a for a in table.at_word_start.get(key, ()) if folded.startswith(a, at))
    return frozenset(present)


@lru_cache(maxsize=8192)
def find(category: str, text: str) -> tuple[Hit, ...]:
    """Hits of one category in `text`, longest first where they overlap, in text order."""
    folded = matchable(text)
    grouped = cues_by_anchor()
    candidates = (cue for anchor in anchors_in(folded) for cue in grouped.get((category, anchor), ()))
    hits = [Hit(cue.phrase, m.start(), m.end()) for cue in candidates for m in cue.pattern.finditer(folded)]
    return without_overlaps(hits)


def without_overlaps(hits: list[Hit]) -> tuple[Hit, ...]:
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if not any(hit.overlaps(k) for k in kept):
            kept.append(hit)
    return tuple(sorted(kept, key=lambda h: h.start))


def found(category: str, text: str) -> tuple[str, ...]:
    """The distinct cues of `category` present in `text`, in order of appearance."""
    return tuple(dict.fromkeys(hit.cue for hit in find(category, text)))


def quoted(cues_found: tuple[str, ...], limit: int = 4) -> str:
    return ", ".join(f"'{cue}'" for cue in cues_found[:limit])
