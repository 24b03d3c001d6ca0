"""Text preparation shared by the readers: folding for matching, cleaning for detection."""

from __future__ import annotations

import re
import unicodedata

URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
HANDLE = re.compile(r"(?<!\w)@[\w.]+(?:@[\w.-]+)?")  # @name and Mastodon's @name@instance
HASHTAG = re.compile(r"(?<!\w)#(\w+)")
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U00002b00-\U00002bff"
    "\U0000fe0f\U0000200d\U0001f3fb-\U0001f3ff]+"
)
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
NUMBERS = re.compile(r"[\d_]+")


class _Unmarked(dict[int, str | None]):
    """A `str.translate` table that drops combining marks (category Mn), filled as characters come."""

    def __missing__(self, code: int) -> str | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else chr(code)
        if len(self) < 2**16:  # the characters people write; not every one a message could hold
            self[code] = kept
        return kept


UNMARKED = _Unmarked()


def fold(text: str) -> str:
    """Lowercase, fold accents and apostrophes so "Réponse" matches "reponse"."""
    lowered = text.translate(APOSTROPHES).lower()
    if not lowered.isascii():  # ASCII has neither marks nor compatibility forms
        lowered = unicodedata.normalize("NFKD", lowered).translate(UNMARKED)
    return " ".join(lowered.split())  # str.split's whitespace is re's \s


def strip_markup(text: str) -> str:
    """Drop URLs and @handles, keep hashtag words without '#'."""
    lowered = text.lower()
    if "http" in lowered or "www." in lowered:  # the only ways a link can start
        text = URL.sub(" ", text)
    if "@" in text:
        text = HANDLE.sub(" ", text)
    return HASHTAG.sub(r"\1", text) if "#" in text else text


def prose(text: str) -> str:
    """What is left for language detection: no markup, no emoji, no digits."""
    text = EMOJI.sub(" ", strip_markup(text))
    return " ".join(NUMBERS.sub(" ", text).split())


def letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())
