"""Language detection with lingua, able to answer "other" for languages not configured."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from sablier.understand.reading import Judgement
from sablier.understand.text import letters, prose

# Detecting among fr/en only would force Spanish into one of them; decoys give it somewhere to go.
DECOYS = ("es", "de", "it", "pt", "nl")
MIN_LETTERS = 6


@lru_cache(maxsize=8)
def detector(languages: tuple[str, ...]) -> Any:
    codes = dict.fromkeys((*languages, *DECOYS))
    chosen = [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in codes]
    return LanguageDetectorBuilder.from_languages(*chosen).build()


def detect_language(text: str, languages: tuple[str, ...] = ("fr", "en")) -> Judgement:
    """The configured language `text` is written in, or "other"; URLs, handles and emoji ignored."""
    cleaned = prose(text)
    if letters(cleaned) < MIN_LETTERS:
        return Judgement("other", 0.1, (f"too short to tell ({letters(cleaned)} letters)",))
    values = detector(tuple(languages)).compute_language_confidence_values(cleaned)
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    confidence = round(best.value, 3)  # what Judgement.to_json keeps, so JSON round-trips
    reason = f"lingua: {code} {confidence:.2f}"
    return Judgement(code if code in languages else "other", confidence, (reason,))
