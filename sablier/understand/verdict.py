"""A head's probabilities for one message as a Judgement: the value, its confidence, the words behind it."""

from __future__ import annotations

import numpy as np

from sablier.understand.features import Grams
from sablier.understand.head import Head
from sablier.understand.lexicon import quoted
from sablier.understand.reading import Judgement


def judge(head: Head, probabilities: np.ndarray, grams: Grams) -> Judgement:
    best = int(np.argmax(probabilities))
    value, confidence = head.labels[best], float(probabilities[best])
    reasons = [f"{head.name} model: {value} {confidence:.2f}"]
    words = head.evidence(grams, value)
    if words:
        reasons.append(f"{value} words: {quoted(tuple(words))}")
    runner = runner_up(head, probabilities, best)
    if runner:
        reasons.append(runner)
    return Judgement(value, round(confidence, 3), tuple(reasons))


def runner_up(head: Head, probabilities: np.ndarray, best: int) -> str | None:
    """Named when it came close, so a person sees what the model hesitated between."""
    if len(head.labels) < 3:
        return None
    order = np.argsort(probabilities)[::-1]
    second = int(order[1])
    if probabilities[second] < 0.5 * probabilities[best]:
        return None
    return f"runner-up {head.labels[second]} {float(probabilities[second]):.2f}"


def probability_of(head: Head, probabilities: np.ndarray, label: str) -> float:
    return float(probabilities[head.labels.index(label)])
