"""Labelled examples to show beside an intent: "nearest labelled example: '…' (complaint)".

The hub's bilingual training posts ship with the models (trained/intent_examples.jsonl); a
message's nearest one, by cosine over idf-weighted word 1-2 grams (not the character grams: they
make every pair of texts look alike and the product ten times slower), is evidence a person can check.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from scipy import sparse

from sablier.understand.features import Featurizer

SHOWN = 90  # characters of the example quoted in a reason
Nearest = tuple[str, str, float]  # text, label, cosine


@dataclass(frozen=True)
class Exemplars:
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    featurizer: Featurizer

    @cached_property
    def _matrix(self) -> sparse.csr_matrix:
        return sparse.csr_matrix(self.featurizer.transform_words(self.texts).T)

    def nearest(self, texts: Sequence[str]) -> list[Nearest]:
        """For each text: the closest example's text, its label and the cosine."""
        if not self.texts:
            return [("", "", 0.0)] * len(texts)
        similarity = (self.featurizer.transform_words(texts) @ self._matrix).toarray()
        best = similarity.argmax(axis=1)
        return [(self.texts[i], self.labels[i], float(similarity[row, i])) for row, i in enumerate(best)]


def load_exemplars(path: Path, featurizer: Featurizer) -> Exemplars:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    rows = [json.loads(line) for line in lines]
    return Exemplars(tuple(r["text"] for r in rows), tuple(r["intent"] for r in rows), featurizer)


def quoted_example(text: str, label: str, similarity: float) -> str:
    short = text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
    return f"nearest labelled example ({label}, {similarity:.2f}): '{short}'"
