"""Urgency: the urgency head's answer, raised by rules where a miss costs too much.

Threats, self-harm and safety cues make a message critical whatever the model says; a crisis,
or a complaint or question that asks to hurry, is at least high.
"""

from __future__ import annotations

from sablier.understand.lexicon import quoted
from sablier.understand.reading import URGENCIES, Judgement
from sablier.understand.signals import Cues

CRITICAL = ("threat", "self_harm", "safety")
PRESSED = ("complaint", "question")


def detect_urgency(model: Judgement, intent: Judgement, signals: frozenset[str], cues: Cues) -> Judgement:
    """low / normal / high / critical, checked from the most to the least severe."""
    critical = [f"{name}: {quoted(cues.get(name, ()))}" for name in CRITICAL if name in signals]
    if critical:
        return Judgement("critical", 0.9, (*critical, "rule: danger is critical whatever the model says"))
    if intent.value == "crisis":
        return at_least_high(model, f"rule: crisis intent ({intent.confidence:.2f})")
    if intent.value in PRESSED and "urgent" in signals:
        return at_least_high(model, f"rule: asked to hurry: {quoted(cues.get('urgent', ()))}")
    return model


def at_least_high(model: Judgement, reason: str) -> Judgement:
    if URGENCIES.index(model.value) >= URGENCIES.index("high"):
        return model
    return Judgement("high", 0.7, (reason, *model.reasons))
