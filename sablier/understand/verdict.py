"""A head's probabilities for messages as Judgements: the value, its confidence, the words behind it."""

from __future__ import annotations

import numpy as np

from sablier.understand.head import Head
from sablier.understand.lexicon import quoted
from sablier.understand.ngrams import Grams, Quotes
from sablier.understand.reading import Judgement


def judge(head: Head, probabilities: np.ndarray, grams: Grams) -> Judgement:
    return judge_many(head, probabilities[np.newaxis], Quotes.of([grams]))[0]


def judge_many(head: Head, probabilities: np.ndarray, quotes: Quotes) -> list[Judgement]:
    """One Judgement per row of `probabilities`, the evidence quoted from that text's n-grams."""
    best = probabilities.argmax(axis=1)
    words = head.evidence_many(quotes, best)
    runners = runners_up(head, probabilities, best)
    rows = probabilities.tolist()
    judged = []
    for row, index, found, runner in zip(rows, best.tolist(), words, runners, strict=True):
        value, confidence = head.labels[index], row[index]
        reasons = [f"{head.name} model: {value} {confidence:.2f}"]
        if found:
            reasons.append(f"{value} words: {quoted(tuple(found))}")
        if runner:
            reasons.append(runner)
        judged.append(Judgement(value, round(confidence, 3), tuple(reasons)))
    return judged


def runners_up(head: Head, probabilities: np.ndarray, best: np.ndarray) -> list[str | None]:
    """The second label of each row, named when it came close, so a person sees the hesitation."""
    if len(head.labels) < 3:
        return [None] * len(probabilities)
    seconds = np.argsort(probabilities, axis=1)[:, -2].tolist()
    named: list[str | None] = []
    for row, first, second in zip(probabilities.tolist(), best.tolist(), seconds, strict=True):
        close = row[second] >= 0.5 * row[first]
        named.append(f"runner-up {head.labels[second]} {row[second]:.2f}" if close else None)
    return named


def probability_of(head: Head, probabilities: np.ndarray, label: str) -> float:
    return float(probabilities[head.labels.index(label)])
