"""Text -> sparse features shared by every trained head: hashed word and character n-grams.

Hashing keeps the shipped artefacts free of a vocabulary (stateless, the same on every
machine); the idf weights learnt at training time travel with the heads. The reader cuts the
n-grams itself (`ngrams.py`, cached per word); training counts them with scikit-learn's
HashingVectorizer, which numbers them the same way.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from sablier.understand.ngrams import (
    CHAR_NGRAMS,
    N_FEATURES,
    TOKEN,
    Grams,
    Quotes,
    analysed,
    char_columns,
    column,
    normalise,
)

__all__ = [
    "N_FEATURES",
    "Counts",
    "Featurizer",
    "Grams",
    "column",
    "counted",
    "counts",
    "learn_idf",
    "normalise",
    "weigh",
]


def _word_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        ngram_range=(1, 2),
        token_pattern=TOKEN,
        lowercase=False,
    )


def _char_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        analyzer="char_wb",
        ngram_range=CHAR_NGRAMS,
        lowercase=False,
    )


@dataclass(frozen=True)
class Featurizer:
    """Counts of hashed n-grams, weighted by idf and scaled to unit length."""

    idf: np.ndarray

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        cut = [analysed(text) for text in texts]
        return weigh(counted([a.words + char_columns(a) for a in cut]), self.idf)

    def transform_words(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Word 1-2 grams only, weighted the same way: a sparser view, for comparing texts."""
        return weigh(counted([analysed(text).words for text in texts]), self.idf)

    def words(self, text: str) -> Grams:
        """The word 1-2 grams of `text` (as the word vectorizer cuts them) with their column."""
        cut = analysed(text)
        return list(zip(cut.quotable, array("i", cut.quotable_columns), strict=True))

    def quotes(self, texts: Sequence[str]) -> Quotes:
        """The `words` of many texts at once, as the heads' evidence reads them."""
        return Quotes.of_analysed([analysed(text) for text in texts])


class Counts(NamedTuple):
    """A matrix of counts, rows of sorted columns, as the arrays of a CSR matrix."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray


def counted(rows: Iterable[bytes]) -> Counts:
    """Rows of int32 columns (repeats allowed) as counts with sorted columns."""
    rows = list(rows)
    columns = np.frombuffer(b"".join(rows), dtype=np.intc).astype(np.int64)
    keys = np.repeat(np.arange(len(rows), dtype=np.int64) * N_FEATURES, [len(row) // 4 for row in rows])
    cells, found = np.unique(keys + columns, return_counts=True)  # sorted by row, then column
    indptr = np.searchsorted(cells, np.arange(len(rows) + 1, dtype=np.int64) * N_FEATURES)
    return Counts(found.astype(np.float32), (cells % N_FEATURES).astype(np.int32), indptr.astype(np.int32))


def counts(texts: Sequence[str], words: HashingVectorizer, chars: HashingVectorizer) -> sparse.csr_matrix:
    prepared = [normalise(t) for t in texts]
    return sparse.csr_matrix(words.transform(prepared) + chars.transform(prepared))


def weigh(matrix: Counts, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf, then idf, then unit length per row.

    Each row's columns come out in descending order, as `diags(1 / norms) @ weighted` left them
    when the heads were trained: the heads then add up their terms in the same order, to the bit.
    """
    indptr, rows = matrix.indptr, len(matrix.indptr) - 1
    data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    filled = np.flatnonzero(np.diff(indptr))
    squares = np.zeros(rows, dtype=np.float32)
    if len(filled):
        squares[filled] = np.add.reduceat(data * data, indptr[filled])
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    row = np.repeat(np.arange(rows), np.diff(indptr))
    mirrored = (indptr[:-1] + indptr[1:] - 1)[row] - np.arange(len(data))
    scaled = (data * (1.0 / norms)[row])[mirrored]
    return sparse.csr_matrix((scaled, matrix.indices[mirrored], indptr), shape=(rows, N_FEATURES))


def learn_idf(texts: Sequence[str]) -> np.ndarray:
    """Smoothed idf over a training corpus, as float32 for the shipped file."""
    matrix = counts(texts, _word_vectorizer(), _char_vectorizer())
    document_frequency = np.bincount(matrix.indices, minlength=N_FEATURES)
    n = matrix.shape[0]
    idf: np.ndarray = (np.log((1 + n) / (1 + document_frequency)) + 1.0).astype(np.float32)
    return idf
