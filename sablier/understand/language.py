"""Language detection with lingua, able to answer "other" for languages not configured.

For the usual French + English hub, two small detectors stand in for one big one: French vs
English in lingua's high-accuracy mode, and seven languages in its low-accuracy mode only to
notice Spanish, German and the like. Together they hold about 100 MB instead of 216 MB for
seven high-accuracy models, at the same French/English accuracy on tweets.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from sablier.understand.reading import Judgement
from sablier.understand.text import letters, prose

# Detecting among fr/en only would force Spanish into one of them; decoys give it somewhere to go.
DECOYS = ("es", "de", "it", "pt", "nl")
MIN_LETTERS = 6
# Below this French/English certainty, a decoy language seen by the low-accuracy detector wins.
OTHER_BELOW = 0.8


def _languages(codes: tuple[str, ...]) -> list[Language]:
    return [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in dict.fromkeys(codes)]


@lru_cache(maxsize=8)
def detector(languages: tuple[str, ...], low_accuracy: bool = False) -> Any:
    builder = LanguageDetectorBuilder.from_languages(*_languages(languages))
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def code_of(language: Any) -> str:
    return str(language.iso_code_639_1.name.lower())


def detect_language(text: str, languages: tuple[str, ...] = ("fr", "en")) -> Judgement:
    """The configured language `text` is written in, or "other"; URLs, handles and emoji ignored."""
    cleaned = prose(text)
    if letters(cleaned) < MIN_LETTERS:
        return Judgement("other", 0.1, (f"too short to tell ({letters(cleaned)} letters)",))
    if set(languages) == {"fr", "en"}:
        return _french_or_english(cleaned)
    best = detector((*languages, *DECOYS)).compute_language_confidence_values(cleaned)[0]
    code, confidence = code_of(best.language), round(best.value, 3)  # rounded as to_json keeps it
    return Judgement(
        code if code in languages else "other", confidence, (f"lingua: {code} {confidence:.2f}",)
    )


def _french_or_english(cleaned: str) -> Judgement:
    best = detector(("fr", "en")).compute_language_confidence_values(cleaned)[0]
    code, confidence = code_of(best.language), round(best.value, 3)
    if confidence < OTHER_BELOW:
        decoy = detector(("fr", "en", *DECOYS), low_accuracy=True).detect_language_of(cleaned)
        if decoy is not None and code_of(decoy) not in ("fr", "en"):
            return Judgement("other", round(1 - confidence, 3), (f"lingua: {code_of(decoy)}, not fr/en",))
    return Judgement(code, confidence, (f"lingua: {code} {confidence:.2f}",))
