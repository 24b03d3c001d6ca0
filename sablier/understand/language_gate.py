"""A quick check that a message is French or English, so the costly detector runs only on the rest.

The words are frequent in French or English and rare in the other languages people write to a
Québec or French organisation in (Spanish, Italian, Portuguese, German, Dutch): "de", "la",
"il", "in", "is", "was" are left out because those languages use them too.
"""

from __future__ import annotations

import re

from sablier.understand.lexicon import matchable
from sablier.understand.text import fold, prose

FRENCH_WORDS = """le les et est je pas vous nous une avec pour sur dans mais tres votre vos mon mes ca
c'est j'ai cette aux sont ete fait encore merci bonjour toujours rien depuis chez quand on ce elle tout
leur plus suis avez avoir etre aussi comme bien"""
ENGLISH_WORDS = """the and my you your of for with this that not have has are be at but they can just what
why how when get got been from our please thanks still again it to i'm don't can't would could"""
FRENCH = frozenset(FRENCH_WORDS.split())
ENGLISH = frozenset(ENGLISH_WORDS.split())
EITHER = FRENCH | ENGLISH
WORD = re.compile(r"[a-z']+")
MIN_HITS = 2
MIN_SHARE = 0.15


def looks_french_or_english(text: str) -> bool:
    words = WORD.findall(_folded(text))
    if not words:
        return False
    hits = sum(map(EITHER.__contains__, words))
    return hits >= MIN_HITS and hits / len(words) >= MIN_SHARE


def _folded(text: str) -> str:
    """The folded prose's words, read from the lexicon's folded text, already made for the text.

    Emoji, digits and "_" split words in both; only a variation selector inside a word ("a\ufe0fb")
    splits it in the prose and vanishes in the lexicon's text.
    """
    return fold(prose(text)) if "\ufe0f" in text else matchable(text)
