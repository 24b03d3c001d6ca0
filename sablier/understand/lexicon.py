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
from sablier.understand.trie import trie_pattern

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
    folded = fold(cue)
    parts = {" ... ": GAP, "<n>": NUMBER, "*": r"\w*", "'": r"(?:'\s*|\s+|)", " ": r"\s+"}
    tokens = [tok for tok in TOKENS.split(folded) if tok]
    pieces = [parts.get(tok, re.escape(tok)) for tok in tokens]
    head = r"(?<!\w)" if re.match(r"<n>", folded) else ""
    if re.match(r"\w", folded):  # "no \w before", checked past the first word: `re` then searches for it
        pieces[0] += rf"(?<!\w.{{{len(tokens[0])}}})"  # `.` never meets a line break in one word
    tail = r"(?!\w)" if re.search(r"[\w*]$|<n>$", folded) else ""
    return re.compile(head + "".join(pieces) + tail)


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
    """Anchors that begin a word, found together by one pattern; the few others, checked anywhere."""

    at_word_start: re.Pattern[str]  # at each word start, captures the longest anchor found there
    beginning: dict[str, frozenset[str]]  # each of those anchors and the shorter ones it begins with
    anywhere: tuple[str, ...]


@lru_cache(maxsize=1)
def anchors() -> Anchors:
    at_start: set[str] = set()
    anywhere: set[str] = set()
    for (_, anchor), found_cues in cues_by_anchor().items():
        if anchor and all(begins_a_word(fold(cue.phrase), anchor) for cue in found_cues):
            at_start.add(anchor)
        elif anchor:
            anywhere.add(anchor)
    pattern = re.compile(rf"(?<!\w)(?=({trie_pattern(sorted(at_start))}))")
    beginning = {a: frozenset(b for b in at_start if a.startswith(b)) for a in at_start}
    return Anchors(pattern, beginning, tuple(sorted(anywhere)))


def begins_a_word(phrase: str, anchor: str) -> bool:
    at = phrase.find(anchor)
    return at >= 0 and anchor[0].isalnum() and (at == 0 or phrase[at - 1] in " '")


@lru_cache(maxsize=4096)
def anchors_in(folded: str) -> tuple[str, ...]:
    """The anchors present in a text, found once per text, longest first.

    The order settles which cue is quoted where two of a category match the same words: the one
    with the longer literal part, the same in every process (a set's order changed with the hash seed).
    """
    table = anchors()
    present = {""} | {a for a in table.anywhere if a in folded}
    for longest in set(table.at_word_start.findall(folded)):
        present |= table.beginning[longest]
    return tuple(sorted(present, key=lambda anchor: (-len(anchor), anchor)))


@lru_cache(maxsize=1)
def cues_of_anchor() -> dict[str, tuple[tuple[str, Cue], ...]]:
    """Every category's cues grouped by anchor, in the order `cues_by_anchor` lists them."""
    grouped: dict[str, list[tuple[str, Cue]]] = {}
    for (category, anchor), found_cues in cues_by_anchor().items():
        grouped.setdefault(anchor, []).extend((category, cue) for cue in found_cues)
    return {anchor: tuple(found) for anchor, found in grouped.items()}


@lru_cache(maxsize=1024)
def hits_by_category(text: str) -> dict[str, tuple[Hit, ...]]:
    """The hits of every category in `text`, found in one pass over the anchors it contains."""
    folded = matchable(text)
    grouped = cues_of_anchor()
    found: dict[str, list[Hit]] = {}
    for anchor in anchors_in(folded):
        for category, cue in grouped.get(anchor, ()):
            matches = [Hit(cue.phrase, m.start(), m.end()) for m in cue.pattern.finditer(folded)]
            if matches:
                found.setdefault(category, []).extend(matches)
    return {category: without_overlaps(hit_list) for category, hit_list in found.items()}


def find(category: str, text: str) -> tuple[Hit, ...]:
    """Hits of one category in `text`, longest first where they overlap, in text order."""
    return hits_by_category(text).get(category, ())


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
