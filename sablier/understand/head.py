"""A trained linear head over the shared features: calibrated probabilities and the words behind them."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from scipy import sparse

from sablier.understand.ngrams import Grams, Quotes

MAX_EVIDENCE = 3
NGRAMS = "ngrams"
WITH_EMBEDDING = "ngrams+minilm"


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: `stacked` caches by head
class Head:
    """One classifier: `labels[i]` scores `features @ coef[i] + intercept[i]`, softmax at `temperature`.

    A binary head keeps one row, for `labels[1]`, as logistic regression does. `inputs` says
    what it reads: the hashed n-grams, or the n-grams followed by the MiniLM sentence embedding.
    """

    name: str
    labels: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    temperature: float = 1.0
    inputs: str = NGRAMS

    @cached_property
    def _columns(self) -> np.ndarray:
        """coef transposed once, contiguous: sparse @ a transposed view would copy it on every call."""
        return np.ascontiguousarray(self.coef.T)

    def logits(self, features: sparse.csr_matrix) -> np.ndarray:
        return self.logits_of(np.asarray(features @ self._columns))

    def logits_of(self, products: np.ndarray) -> np.ndarray:
        """Logits from the products `features @ coef.T`, one row per message."""
        raw = products + self.intercept
        if len(self.labels) == 2:
            raw = np.concatenate((np.zeros_like(raw), raw), axis=1)
        return np.asarray(raw, dtype=np.float64)

    def probabilities(self, features: sparse.csr_matrix) -> np.ndarray:
        return self.probabilities_of(np.asarray(features @ self._columns))

    def probabilities_of(self, products: np.ndarray) -> np.ndarray:
        return softmax(self.logits_of(products) / self.temperature)

    def evidence(self, grams: Grams, label: str) -> list[str]:
        """The word n-grams of a text (`Featurizer.words`) that pushed most towards `label`."""
        return self.evidence_many(Quotes.of([grams]), np.array([self.labels.index(label)]))[0]

    def evidence_many(self, quotes: Quotes, labels: np.ndarray) -> list[list[str]]:
        """`evidence` for many texts at once, text `i` towards the label at index `labels[i]`."""
        weights = self._weights(labels[quotes.owners], quotes.columns)
        pushes: list[list[tuple[float, str]]] = [[] for _ in range(quotes.count)]
        at = contenders(weights, quotes.owners, quotes.count)
        for k, owner, weight in zip(
            at.tolist(), quotes.owners[at].tolist(), weights[at].tolist(), strict=True
        ):
            pushes[owner].append((weight, quotes.grams[k]))
        return [[gram for _, gram in sorted(found, reverse=True)[:MAX_EVIDENCE]] for found in pushes]

    def _weights(self, labels: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """The weight of each column towards its label (n-gram columns come first in `coef`)."""
        if len(self.labels) == 2:  # the one row scores labels[1]; labels[0] is its opposite
            return np.asarray(np.where(labels == 1, self.coef[0, columns], -self.coef[0, columns]))
        return np.asarray(self.coef[labels, columns])

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            name=np.array(self.name),
            labels=np.array(self.labels),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
            temperature=np.array(self.temperature),
            inputs=np.array(self.inputs),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Head:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            return cls(
                name=str(stored["name"]),
                labels=tuple(str(x) for x in stored["labels"]),
                coef=stored["coef"].astype(np.float32),
                intercept=stored["intercept"].astype(np.float64),
                temperature=float(stored["temperature"]),
                inputs=str(stored["inputs"]) if "inputs" in stored.files else NGRAMS,
            )


def probabilities_of_many(heads: dict[str, Head], features: sparse.csr_matrix) -> dict[str, np.ndarray]:
    """Every head's probabilities from one product with their weights side by side.

    Each feature then fetches one short row of weights instead of one per head: at batch 64, the
    seven routing heads cost a fifth of what they cost one by one, to the same bits.
    """
    together = {name: head for name, head in heads.items() if head.coef.dtype == np.float32}
    found = {name: head.probabilities(features) for name, head in heads.items() if name not in together}
    if not together:
        return found
    products = np.asarray(features @ stacked(tuple(together.values())))
    start = 0
    for name, head in together.items():
        end = start + len(head.coef)
        found[name] = head.probabilities_of(products[:, start:end])
        start = end
    return found


def contenders(weights: np.ndarray, owners: np.ndarray, count: int) -> np.ndarray:
    """Where the positive weights are that can be among their text's few strongest pushes.

    `owners[k]` is the text of weight `k`, texts in order: only pushes at or above a text's third
    strongest can be quoted (ties then go to the n-gram that sorts last, as before).
    """
    positive = np.flatnonzero(weights > 0)
    if not len(positive):
        return positive
    pushes, texts = weights[positive], owners[positive]
    ranked = pushes[np.lexsort((-pushes, texts))]  # text by text, strongest first
    sizes = np.bincount(texts, minlength=count)
    nth = np.minimum(np.cumsum(sizes) - sizes + MAX_EVIDENCE - 1, len(pushes) - 1)
    floor = np.where(sizes >= MAX_EVIDENCE, ranked[nth], -np.inf)
    return np.asarray(positive[pushes >= floor[texts]])


@lru_cache(maxsize=2)  # the shipped heads and the organisation's
def stacked(heads: tuple[Head, ...]) -> np.ndarray:
    """The heads' coef side by side and transposed, copied once (no stacked copy on the way)."""
    columns = np.empty((heads[0].coef.shape[1], sum(len(head.coef) for head in heads)), np.float32)
    start = 0
    for head in heads:
        columns[:, start : start + len(head.coef)] = head.coef.T
        start += len(head.coef)
    return columns


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))
