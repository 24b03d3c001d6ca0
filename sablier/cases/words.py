"""The words of a search, as the indexes see them: lower case, accents off (é → e, Ç → c), every word
typed required, words of three letters or more matching as prefixes. Pure: no database here."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
PREFIX_FROM = 3  # shorter words match whole: a one-letter prefix would read half the index

# What FTS5's remove_diacritics does to Latin letters, and the letters each plain one stands for.
UNACCENT = {
    chr(code): bare.lower()
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
    if (bare := "".join(c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c)))
    and bare != chr(code)
    and len(bare) == 1
}
ACCENTS_OF: dict[str, str] = {}
for _accented, _bare in UNACCENT.items():
    ACCENTS_OF[_bare] = ACCENTS_OF.get(_bare, _bare) + _accented


def search_words(q: str | None) -> tuple[str, ...]:
    """The words of a search box, lower case, at most MAX_WORDS; none for punctuation alone."""
    found = WORD.findall(unicodedata.normalize("NFC", q or "").lower())
    return tuple(dict.fromkeys(found))[:MAX_WORDS]


def plain(word: str) -> str:
    return "".join(UNACCENT.get(c, c) for c in word.lower())


def is_prefix(word: str) -> bool:
    return len(word) >= PREFIX_FROM


def fts5_query(words: tuple[str, ...]) -> str:
    """SQLite FTS5: `"hypothécaire"* AND "ta"` (its tokenizer takes the accents off)."""
    return " AND ".join(f'"{w}"*' if is_prefix(w) else f'"{w}"' for w in words)


def tsquery(words: tuple[str, ...]) -> str:
    """PostgreSQL: `'hypothécaire':* & 'ta'`, to unaccent in SQL as the document is."""
    return " & ".join(f"'{w}':*" if is_prefix(w) else f"'{w}'" for w in words)


def posix_pattern(word: str) -> str:
    """A PostgreSQL regular expression every message holding the word matches: at a word's start,
    each letter with any accent, precomposed or combining. (NFKD's ligatures, ﬁ → fi, escape it.)"""
    letters = "".join(f"[{ACCENTS_OF.get(c, c)}][\\u0300-\\u036f]*" for c in plain(word))
    return "(^|[^[:alnum:]])" + letters + ("" if is_prefix(word) else "([^[:alnum:]]|$)")


@lru_cache(maxsize=256)
def _patterns(words: str) -> tuple[re.Pattern[str], ...]:
    """One regular expression per plain word: at the start of a word, any accent, any case."""
    return tuple(
        re.compile(
            r"(?<![^\W_])"
            + "".join(f"[{re.escape(ACCENTS_OF.get(c, c))}]" for c in word)
            + ("" if is_prefix(word) else r"(?![^\W_])"),
            re.IGNORECASE,
        )
        for word in words.split()
    )


def has_words(text: str | None, words: str) -> bool:
    """Whether the text holds every word (space-separated, plain), as the SQLite index would say."""
    return bool(text) and all(pattern.search(text or "") for pattern in _patterns(words))
