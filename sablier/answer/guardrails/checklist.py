"""The response considerations, checked only where the words alone decide.

Transparency: when the organisation requires a signature, the reply carries it. Sourcing: a reply
that corrects a claim links to its source. Nothing is left to fill in. Timeliness and influence
depend on when and where the reply goes, not on its words, so they stay with the person answering;
tone is checked by the banned phrases and tone rules.
"""

from __future__ import annotations

import re

from sablier.answer.guardrails.finding import Finding, clip
from sablier.answer.guardrails.phrases import locate
from sablier.understand.text import URL

CORRECTIONS = {
    "en": (
        "not true", "is false", "this is false", "that's false", "misinformation", "disinformation",
        "rumour", "rumor", "fake news", "misleading", "contrary to", "set the record straight",
    ),
    "fr": (
        "c'est faux", "est faux", "pas vrai", "fausse information", "fausses informations", "rumeur",
        "désinformation", "infox", "trompeur", "contrairement à", "rétablir les faits",
    ),
}  # fmt: skip
PLACEHOLDER = re.compile(
    r"\{\{[^{}]*\}\}|\[\[[^\]]*\]\]|\b(?:TODO|TBD|XXX+)\b"
    r"|\[(?:[A-Z][A-Z _]{2,}|(?i:nom|name|pr[ée]nom|first name|date|lien|link|[àa] compl[ée]ter))\]"
)


def find_missing_signature(text: str, signature: str | None) -> list[Finding]:
    """Transparency: say who you are, in the form the organisation asked for."""
    if signature is None or re.search(signature, text):
        return []
    message = (
        f"the reply is not signed: end it with the signature the organisation requires "
        f"(pattern {signature!r}), so readers know who answers"
    )
    return [Finding("checklist.transparency", "block", message, clip(text[-40:]), len(text), len(text))]


def find_unsourced_correction(text: str, language: str | None) -> list[Finding]:
    """Sourcing: a reply that says a claim is wrong links to what shows it."""
    cues = CORRECTIONS.get((language or "")[:2].lower(), CORRECTIONS["en"] + CORRECTIONS["fr"])
    found = next(locate(text, cues), None)
    if found is None or URL.search(text):
        return []
    cue, start, end = found
    message = f"the reply corrects a claim ({cue!r}) but cites no source: add a link to what shows it"
    return [Finding("checklist.sourcing", "warn", message, text[start:end], start, end)]


def find_placeholders(text: str) -> list[Finding]:
    return [
        Finding(
            "checklist.placeholder",
            "block",
            f"{m.group()!r} is left to fill in: replace it before publishing",
            m.group(),
            m.start(),
            m.end(),
        )
        for m in PLACEHOLDER.finditer(text)
    ]


def find_checklist_gaps(text: str, signature: str | None, language: str | None = None) -> list[Finding]:
    return [
        *find_missing_signature(text, signature),
        *find_unsourced_correction(text, language),
        *find_placeholders(text),
    ]
