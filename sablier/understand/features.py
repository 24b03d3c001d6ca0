"""Text -> sparse features shared by every trained head: hashed word and character n-grams.

Hashing keeps the shipped artefacts free of a vocabulary (stateless, the same on every
machine); the idf weights learnt at training time travel with the heads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from sablier.understand.text import HANDLE, URL

N_FEATURES = 2**18
TOKEN = r"(?u)\b\w+\b|[!?]+|[\U0001f300-\U0001faff\u2600-\u27bf]"
TOKENS = re.compile(TOKEN)
Grams = list[tuple[str, int]]
DIGITS = re.compile(r"\d")
REPEATS = re.compile(r"(\w)\1{2,}")  # "sooooo" and "nuuuul" -> "soo", "nuul"


def normalise(text: str) -> str:
    """What the models see: handles, links and digits replaced by placeholders, repeats shortened."""
    text = URL.sub(" _url_ ", text)
    text = HANDLE.sub(" _user_ ", text)
    text = DIGITS.sub("0", text)
    return REPEATS.sub(r"\1\1", text.lower())


def _word_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b\w+\b|[!?]+|[\U0001f300-\U0001faff\u2600-\u27bf]",
        lowercase=False,
    )


def _char_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        analyzer="char_wb",
        ngram_range=(2, 4),
        lowercase=False,
    )


@dataclass(frozen=True)
class Featurizer:
    """Counts of hashed n-grams, weighted by idf and scaled to unit length."""

    idf: np.ndarray

    @cached_property
    def _words(self) -> HashingVectorizer:
        return _word_vectorizer()

    @cached_property
    def _chars(self) -> HashingVectorizer:
        return _char_vectorizer()

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return weigh(counts(texts, self._words, self._chars), self.idf)

    def transform_words(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Word 1-2 grams only, weighted the same way: a sparser view, for comparing texts."""
        words = sparse.csr_matrix(self._words.transform([normalise(t) for t in texts]))
        return weigh(words, self.idf)

    def words(self, text: str) -> Grams:
        """The word 1-2 grams of `text` (as the word vectorizer cuts them) with their column."""
        tokens = TOKENS.findall(normalise(text))
        grams = [*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))]
        return [(gram, column(gram)) for gram in dict.fromkeys(grams) if "_" not in gram]


def counts(texts: Sequence[str], words: HashingVectorizer, chars: HashingVectorizer) -> sparse.csr_matrix:
    prepared = [normalise(t) for t in texts]
    return sparse.csr_matrix(words.transform(prepared) + chars.transform(prepared))


def weigh(matrix: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    damped = sparse.csr_matrix(matrix, dtype=np.float32, copy=True)
    damped.data = 1.0 + np.log(damped.data)  # sublinear tf, then idf, then unit length per row
    weighted = sparse.csr_matrix(damped.multiply(idf))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted)


def learn_idf(texts: Sequence[str]) -> np.ndarray:
    """Smoothed idf over a training corpus, as float32 for the shipped file."""
    matrix = counts(texts, _word_vectorizer(), _char_vectorizer())
    document_frequency = np.bincount(matrix.indices, minlength=N_FEATURES)
    n = matrix.shape[0]
    idf: np.ndarray = (np.log((1 + n) / (1 + document_frequency)) + 1.0).astype(np.float32)
    return idf


def column(gram: str) -> int:
    """The column HashingVectorizer gives `gram` (murmur3, seed 0, absolute value)."""
    return abs(int(murmurhash3_32(gram, seed=0))) % N_FEATURES
