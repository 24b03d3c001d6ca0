"""What the waist reads in one message: every dimension with a confidence and its reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("fr", "en", "other")
SENTIMENTS = ("negative", "neutral", "positive")
INTENTS = (
    "complaint",
    "question",
    "praise",
    "sales_lead",
    "job",
    "press",
    "partnership",
    "crisis",
    "spam_troll",
    "other",
)
URGENCIES = ("low", "normal", "high", "critical")


@dataclass(frozen=True)
class Judgement:
    """One dimension of a reading: the value chosen, how sure we are, and why."""

    value: str
    confidence: float
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "confidence": round(self.confidence, 3), "reasons": list(self.reasons)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Judgement:
        return cls(str(data["value"]), float(data["confidence"]), tuple(data.get("reasons", ())))


@dataclass(frozen=True)
class Reading:
    """The result of `understand.read(text)`.

    `labels` holds the organisation's own label sets (product, topic…), by name.
    `signals` are facts the assessment tree and the router ask about, e.g. "hostile",
    "profanity", "sarcasm", "misinformation", "negative_experience", "technical", "threat".
    """

    language: Judgement
    sentiment: Judgement
    intent: Judgement
    urgency: Judgement
    signals: frozenset[str] = field(default_factory=frozenset)
    labels: dict[str, Judgement] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language.to_json(),
            "sentiment": self.sentiment.to_json(),
            "intent": self.intent.to_json(),
            "urgency": self.urgency.to_json(),
            "signals": sorted(self.signals),
            "labels": {name: judgement.to_json() for name, judgement in sorted(self.labels.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reading:
        return cls(
            language=Judgement.from_json(data["language"]),
            sentiment=Judgement.from_json(data["sentiment"]),
            intent=Judgement.from_json(data["intent"]),
            urgency=Judgement.from_json(data["urgency"]),
            signals=frozenset(data.get("signals", ())),
            labels={name: Judgement.from_json(j) for name, j in data.get("labels", {}).items()},
        )

    @property
    def reasons(self) -> list[str]:
        return [*self.language.reasons, *self.sentiment.reasons, *self.intent.reasons, *self.urgency.reasons]
