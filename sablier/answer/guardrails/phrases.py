"""Banned phrases and tone rules of the organisation, and the length each network accepts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

from sablier.answer.guardrails.finding import Finding, clip
from sablier.understand.text import APOSTROPHES, URL, fold, strip_markup

NETWORK_LIMITS = {"x": 280, "twitter": 280, "bluesky": 300, "mastodon": 500}
COUNTS_GRAPHEMES = frozenset({"bluesky"})
SHORTENS_LINKS = {"x": 23, "twitter": 23, "mastodon": 23}  # any link counts as this many characters
LONG_REPLY = 20  # letters; below this a reply may be one acronym, not shouting
EXCLAMATIONS = "!\uff01"  # and the full-width one


def folded(text: str) -> tuple[str, list[int]]:
    """The text folded like `fold` (case, accents, apostrophes) and, per character, where it came from."""
    chars: list[str] = []
    origins: list[int] = []
    for i, ch in enumerate(text.translate(APOSTROPHES)):
        for part in unicodedata.normalize("NFKD", ch.lower()):
            if unicodedata.category(part) != "Mn":
                chars.append(part)
                origins.append(i)
    return "".join(chars), origins


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Whole words only, any run of spaces or hyphens between them ("calmez-vous" = "calmez vous")."""
    words = [re.escape(word) for word in re.split(r"[\s-]+", fold(phrase)) if word]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)")


def locate(text: str, phrases: Iterable[str]) -> Iterator[tuple[str, int, int]]:
    """Each (phrase, start, end) found in the text, case and accents aside."""
    haystack, origins = folded(text)
    for phrase in phrases:
        for match in phrase_pattern(phrase).finditer(haystack):
            yield phrase, origins[match.start()], origins[match.end() - 1] + 1


def find_banned_phrases(text: str, phrases: Iterable[str]) -> list[Finding]:
    return [
        Finding(
            "tone.banned_phrase",
            "block",
            f"banned phrase {phrase!r} found as {text[start:end]!r}: rephrase without it",
            text[start:end],
            start,
            end,
        )
        for phrase, start, end in locate(text, phrases)
    ]


def find_shouting(text: str, max_share: float) -> list[Finding]:
    letters = [ch for ch in strip_markup(text) if ch.isalpha()]
    share = sum(ch.isupper() for ch in letters) / max(1, len(letters))
    if len(letters) < LONG_REPLY or share <= max_share:
        return []
    shouted = [m.span() for m in re.finditer(r"[^\W\d_]{2,}", text) if m.group().isupper()]
    start, end = (shouted[0][0], shouted[-1][1]) if shouted else (0, len(text))
    message = f"{share:.0%} of the letters are capitals (limit {max_share:.0%}): write in sentence case"
    return [Finding("tone.shouting", "warn", message, clip(text[start:end]), start, end)]


def find_exclamations(text: str, limit: int) -> list[Finding]:
    marks = [i for i, ch in enumerate(text) if ch in EXCLAMATIONS]
    if len(marks) <= limit:
        return []
    start, end = marks[0], marks[-1] + 1
    message = f"{len(marks)} exclamation marks (limit {limit}): keep at most {limit}"
    return [Finding("tone.exclamations", "warn", message, clip(text[start:end]), start, end)]


def is_extender(ch: str) -> bool:
    """Joins the character before it: combining marks, joiners, variation selectors, skin tones."""
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or ch in "\u200d\ufe0e\ufe0f"
        or "\U0001f3fb" <= ch <= "\U0001f3ff"
        or "\U000e0020" <= ch <= "\U000e007f"
    )


def grapheme_starts(text: str) -> list[int]:
    """Where each user-perceived character begins: a close approximation of Unicode's clusters."""
    starts: list[int] = []
    lone_flag = False  # regional indicators pair up into one flag
    for i, ch in enumerate(text):
        flag = "\U0001f1e6" <= ch <= "\U0001f1ff"
        if starts and (text[i - 1] == "\u200d" or is_extender(ch) or (flag and lone_flag)):
            lone_flag = False
            continue
        starts.append(i)
        lone_flag = flag
    return starts


def units(text: str, network: str) -> list[int]:
    """Where each counted unit starts, the way the network counts them."""
    if network in COUNTS_GRAPHEMES:
        return grapheme_starts(text)
    starts: list[int] = []
    position = 0
    for link in URL.finditer(text) if network in SHORTENS_LINKS else ():
        starts += [*range(position, link.start()), *[link.start()] * SHORTENS_LINKS[network]]
        position = link.end()
    return starts + list(range(position, len(text)))


def find_overflow(text: str, network: str | None, limits: Mapping[str, int]) -> list[Finding]:
    name = (network or "").lower()
    limit, counted = limits.get(name), units(text, name)
    if limit is None or len(counted) <= limit:
        return []
    unit = "graphemes" if name in COUNTS_GRAPHEMES else "characters"
    message = f"{len(counted)} {unit} but {name} accepts {limit}: shorten it by {len(counted) - limit}"
    over = counted[limit]
    return [Finding("length.network", "block", message, clip(text[over:]), over, len(text))]
