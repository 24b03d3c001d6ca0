"""Inputs for heads that also read a sentence embedding: the n-grams, then MiniLM's 384 numbers.

Only the organisation's own label sets use it (banking77-like taxonomies gain 2 points from it);
the routing heads stay on n-grams so that the first pass keeps its speed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib.util import find_spec

import numpy as np
from scipy import sparse

from sablier.understand.minilm import PACKAGE, encode

CHUNK = 256
Progress = Callable[[int], None]


@lru_cache(maxsize=1)
def embedding_available() -> bool:
    """The MiniLM weights ship in an optional package (installed without its torch dependencies)."""
    return find_spec(PACKAGE) is not None


def with_embedding(
    features: sparse.csr_matrix, texts: Sequence[str], progress: Progress = lambda _: None
) -> sparse.csr_matrix:
    parts = []
    for start in range(0, len(texts), CHUNK):
        parts.append(encode(texts[start : start + CHUNK], batch_size=64))
        progress(min(start + CHUNK, len(texts)))
    embedded = np.vstack(parts) if parts else np.zeros((0, 384), np.float32)
    return sparse.csr_matrix(sparse.hstack([features, sparse.csr_matrix(embedded)]))
