"""Urgency: how fast a human should look, from the text, its intent, sentiment and signals."""

from __future__ import annotations

from sablier.understand.lexicon import found, quoted
from sablier.understand.reading import Judgement
from sablier.understand.signals import signal_cues

# Any of these makes a message critical whatever else it says.
CRITICAL = ("threat", "self_harm", "safety")
STRONG_NEGATIVE = 0.7
CALM_INTENTS = ("praise", "other", "spam_troll")


def detect_urgency(text: str, intent: Judgement, sentiment: Judgement, signals: frozenset[str]) -> Judgement:
    """low / normal / high / critical, checked from the most to the least severe."""
    cues = signal_cues(text)
    critical = [f"{name}: {quoted(cues.get(name, ()))}" for name in CRITICAL if name in signals]
    if critical:
        return Judgement("critical", 0.9, tuple(critical))
    if intent.value == "crisis":
        return Judgement("high", 0.75, (f"crisis intent ({intent.confidence:.2f})",))
    pressing = pressure(text, intent, sentiment, signals)
    if pressing:
        return Judgement("high", 0.7, pressing)
    if intent.value in CALM_INTENTS:
        return Judgement("low", 0.6, (f"{intent.value} intent",))
    return Judgement("normal", 0.6, (f"{intent.value} intent, nothing pressing",))


def pressure(text: str, intent: Judgement, sentiment: Judgement, signals: frozenset[str]) -> tuple[str, ...]:
    """Reasons a complaint or question cannot wait: asked to hurry, or strongly negative."""
    if intent.value not in {"complaint", "question"}:
        return ()
    reasons: list[str] = []
    if "urgent" in signals:
        reasons.append(f"urgent: {quoted(found('urgent', text))}")
    strong = sentiment.value == "negative" and sentiment.confidence >= STRONG_NEGATIVE
    if intent.value == "complaint" and strong:
        reasons.append(f"strongly negative complaint ({sentiment.confidence:.2f})")
    return tuple(reasons)
