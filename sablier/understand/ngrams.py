"""A text's hashed word and character n-grams, numbered as scikit-learn's HashingVectorizer numbers them.

HashingVectorizer cuts and hashes every n-gram of every message in Python. Words recur, so here a
word's character n-grams are cut and hashed once per process, and a text's whole analysis once per
batch and pass; the columns are the same (tests/unit/test_understand_features.py checks them).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise

import numpy as np
from sklearn.utils import murmurhash3_32

from sablier.understand.memo import Memo
from sablier.understand.text import HANDLE, URL

N_FEATURES = 2**18
TOKEN = r"(?u)\b\w+\b|[!?]+|[\U0001f300-\U0001faff\u2600-\u27bf]"
TOKENS = re.compile(TOKEN)
CHAR_NGRAMS = (2, 4)
CHAR_SIZES = range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1)
Grams = list[tuple[str, int]]
DIGITS = re.compile(r"\d")
REPEATS = re.compile(r"(\w)\1{2,}")  # "sooooo" and "nuuuul" -> "soo", "nuul"
TRIPLES = re.compile(r"(.)\1\1")  # a cheaper first look for them


def normalise(text: str) -> str:
    """What the models see: handles, links and digits replaced by placeholders, repeats shortened."""
    lowered = text.lower()
    if "http" in lowered or "www." in lowered:  # the only ways a link can start
        text = URL.sub(" _url_ ", text)
    if "@" in text:
        text = HANDLE.sub(" _user_ ", text)
    text = DIGITS.sub("0", text).lower()
    return REPEATS.sub(r"\1\1", text) if TRIPLES.search(text) else text


def _column(gram: str) -> int:
    return abs(int(murmurhash3_32(gram, seed=0))) % N_FEATURES


COLUMNS = Memo(_column, 2**16)


def column(gram: str) -> int:
    """The column HashingVectorizer gives `gram` (murmur3, seed 0, absolute value)."""
    return COLUMNS(gram)


def _char_columns(word: str) -> bytes:
    """Columns of the 2-4 character n-grams of a space-padded word, as `char_wb` cuts them (int32).

    A one-letter word padded to three characters has no 4-gram: `char_wb` counts it once, whole.
    """
    padded = f" {word} "
    size = len(padded)
    grams = [padded[at : at + n] for n in CHAR_SIZES if n <= size for at in range(size - n + 1)]
    return array("i", map(_column, grams)).tobytes()


CHAR_COLUMNS = Memo(_char_columns, 2**15)


@dataclass(frozen=True)
class Analysed:
    """One text's columns, repeats kept (they are counts), and its distinct quotable word n-grams."""

    prepared: str  # the text as the models see it (`normalise`)
    words: bytes  # columns of the word 1-2 grams, as C ints (int32)
    quotable: tuple[str, ...]  # the word n-grams without placeholders, each once
    quotable_columns: bytes  # and their columns


@lru_cache(maxsize=1024)
def analysed(text: str) -> Analysed:
    """Cut once per text: the reader, its nearest-example search and the second pass share it."""
    prepared = normalise(text)
    tokens = TOKENS.findall(prepared)
    grams = [*tokens, *map(" ".join, pairwise(tokens))]
    columns = COLUMNS.many(grams)
    quotable = dict(zip(grams, columns, strict=True))
    if "_" in prepared:
        quotable = {gram: col for gram, col in quotable.items() if "_" not in gram}
    return Analysed(
        prepared, array("i", columns).tobytes(), tuple(quotable), array("i", quotable.values()).tobytes()
    )


def char_columns(cut: Analysed) -> bytes:
    """Columns of the character 2-4 grams of every word of a text (int32), repeats kept."""
    return b"".join(CHAR_COLUMNS.many(cut.prepared.split()))


@dataclass(frozen=True)
class Quotes:
    """The quotable word n-grams of a batch of texts, text after text, for the heads' evidence."""

    grams: list[str]
    columns: np.ndarray
    owners: np.ndarray  # the text each n-gram comes from
    count: int  # texts

    @classmethod
    def of(cls, texts: Sequence[Grams]) -> Quotes:
        flat = list(chain.from_iterable(texts))
        owners = np.repeat(np.arange(len(texts)), [len(grams) for grams in texts])
        return cls([g for g, _ in flat], np.array([c for _, c in flat], dtype=np.intp), owners, len(texts))

    @classmethod
    def of_analysed(cls, cut: Sequence[Analysed]) -> Quotes:
        columns = np.frombuffer(b"".join(a.quotable_columns for a in cut), dtype=np.intc)
        owners = np.repeat(np.arange(len(cut)), [len(a.quotable) for a in cut])
        grams = list(chain.from_iterable(a.quotable for a in cut))
        return cls(grams, columns.astype(np.intp), owners, len(cut))
