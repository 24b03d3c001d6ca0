"""A trained linear head over the shared features: calibrated probabilities and the words behind them."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from sablier.understand.features import Grams

MAX_EVIDENCE = 3
NGRAMS = "ngrams"
WITH_EMBEDDING = "ngrams+minilm"


@dataclass(frozen=True)
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
        raw = np.asarray(features @ self._columns) + self.intercept
        if len(self.labels) == 2:
            raw = np.hstack([np.zeros_like(raw), raw])
        return np.asarray(raw, dtype=np.float64)

    def probabilities(self, features: sparse.csr_matrix) -> np.ndarray:
        return softmax(self.logits(features) / self.temperature)

    def evidence(self, grams: Grams, label: str) -> list[str]:
        """The word n-grams of a text (`Featurizer.words`) that pushed most towards `label`."""
        row = self._row(self.labels.index(label))
        pushes = [(float(row[col]), gram) for gram, col in grams]  # n-gram columns come first
        return [gram for weight, gram in sorted(pushes, reverse=True)[:MAX_EVIDENCE] if weight > 0]

    def _row(self, index: int) -> np.ndarray:
        if len(self.labels) == 2:
            return np.asarray(self.coef[0] if index == 1 else -self.coef[0])
        return np.asarray(self.coef[index])

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


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))
