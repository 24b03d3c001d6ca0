"""read(text): every dimension of one message, as a Reading."""

from __future__ import annotations

from sablier.understand.intent import detect_intent
from sablier.understand.language import detect_language
from sablier.understand.reading import Reading
from sablier.understand.sentiment import detect_sentiment
from sablier.understand.signals import detect_signals
from sablier.understand.urgency import detect_urgency


def read(text: str, *, languages: tuple[str, ...] = ("fr", "en")) -> Reading:
    """Language, sentiment, intent, urgency and signals of `text`; pure and deterministic."""
    sentiment = detect_sentiment(text)
    intent = detect_intent(text)
    signals = detect_signals(text)
    return Reading(
        language=detect_language(text, languages),
        sentiment=sentiment,
        intent=intent,
        urgency=detect_urgency(text, intent, sentiment, signals),
        signals=signals,
    )
