"""Recognising a request to stop contact, in French and English; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sablier.understand.text import fold

# A message that is only the word: "STOP", "unsubscribe", "arrêt".
ALONE = re.compile(r"^\W*(stop|unsubscribe|desabonner|desinscription|arret|unsub)\W*$")
CHANNEL_PHRASES = (
    "unsubscribe me",
    "stop sending me",
    "stop emailing me",
    "stop texting me",
    "stop contacting me",
    "do not contact me",
    "don't contact me",
    "dont contact me",
    "remove me from your list",
    "ne me contactez plus",
    "ne plus me contacter",
    "arretez de m'ecrire",
    "arretez de me contacter",
    "arretez de m'envoyer",
    "desabonnez-moi",
    "desabonnez moi",
    "retirez-moi de votre liste",
    "je ne veux plus recevoir",
    "i don't want to receive",
    "i do not want to receive",
)
# Privacy-law requests reach every channel: GDPR article 17/21, Québec's Law 25.
EVERY_CHANNEL_PHRASES = (
    "gdpr",
    "rgpd",
    "loi 25",
    "law 25",
    "right to be forgotten",
    "droit a l'oubli",
    "delete my data",
    "delete my personal data",
    "erase my data",
    "supprimez mes donnees",
    "supprimer mes donnees",
    "effacer mes donnees",
    "effacez mes donnees",
    "retrait de mon consentement",
    "withdraw my consent",
)


@dataclass(frozen=True)
class OptOutRequest:
    every_channel: bool
    matched: str


def _alternation(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(fold(p)) for p in phrases) + r")(?!\w)")


EVERY_CHANNEL = _alternation(EVERY_CHANNEL_PHRASES)
ONE_CHANNEL = _alternation(CHANNEL_PHRASES)


def _found(folded: str, pattern: re.Pattern[str]) -> str | None:
    match = pattern.search(folded)
    return match.group(1) if match else None


def opt_out_request(text: str) -> OptOutRequest | None:
    folded = fold(text)
    privacy = _found(folded, EVERY_CHANNEL)
    if privacy:
        return OptOutRequest(every_channel=True, matched=privacy)
    alone = ALONE.match(folded)
    phrase = alone.group(1) if alone else _found(folded, ONE_CHANNEL)
    return OptOutRequest(every_channel=False, matched=phrase) if phrase else None
