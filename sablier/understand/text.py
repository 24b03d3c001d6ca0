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
SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, fold accents and apostrophes so "Réponse" matches "reponse"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(APOSTROPHES).lower())
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return SPACES.sub(" ", kept).strip()


def strip_markup(text: str) -> str:
    """Drop URLs and @handles, keep hashtag words without '#'."""
    text = URL.sub(" ", text)
    text = HANDLE.sub(" ", text)
    return HASHTAG.sub(r"\1", text)


def prose(text: str) -> str:
    """What is left for language detection: no markup, no emoji, no digits."""
    text = EMOJI.sub(" ", strip_markup(text))
    return SPACES.sub(" ", re.sub(r"[\d_]+", " ", text)).strip()


def letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())
