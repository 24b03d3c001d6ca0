"""The five response considerations: a checklist before anything is published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Consideration:
    key: str
    en: str
    fr: str

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "en": self.en, "fr": self.fr}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Consideration:
        return cls(str(data["key"]), str(data["en"]), str(data["fr"]))


CONSIDERATIONS: tuple[Consideration, ...] = (
    Consideration(
        "transparency",
        "Say who you are: disclose your connection to the organisation and your role.",
        "Dites qui vous êtes : indiquez votre lien avec l'organisation et votre rôle.",
    ),
    Consideration(
        "sourcing",
        "Cite your sources: link to the page, document, image or video that backs each fact.",
        "Citez vos sources : donnez le lien vers la page, le document, l'image ou la vidéo "
        "qui appuie chaque fait.",
    ),
    Consideration(
        "timeliness",
        "Take the time to write a good answer, then answer promptly. Don't rush.",
        "Prenez le temps de bien répondre, puis répondez sans tarder. Ne vous précipitez pas.",
    ),
    Consideration(
        "tone",
        "Use a tone that reflects well on the organisation: courteous, factual, never defensive.",
        "Adoptez un ton qui fait honneur à l'organisation : courtois, factuel, jamais sur la défensive.",
    ),
    Consideration(
        "influence",
        "Focus on the places where the organisation's public actually reads and talks.",
        "Concentrez-vous sur les lieux où le public de l'organisation lit et discute vraiment.",
    ),
)
