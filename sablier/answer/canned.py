"""Canned answers: bilingual reply templates with {variables}. Pure: parse, validate, render."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sablier.errors import FieldError, ValidationFailed

VARIABLES = ("name", "handle", "agent", "department", "case", "network")
LANGUAGES = ("fr", "en")
MAX_LENGTH = 2000
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
# What a French writer may reach for first; each points at the variable to use instead.
FRENCH = {
    "nom": "name", "prenom": "name", "prénom": "name", "client": "name", "pseudo": "handle",
    "identifiant": "handle", "conseiller": "agent", "conseillere": "agent", "conseillère": "agent",
    "service": "department", "departement": "department", "département": "department",
    "dossier": "case", "cas": "case", "reseau": "network", "réseau": "network",
}  # fmt: skip
ENTRY_KEYS = frozenset({"department", "name", *LANGUAGES})


@dataclass(frozen=True)
class CannedText:
    """One canned answer in one language, as declared (department None = every department)."""

    department: str | None
    name: str
    language: str
    text: str


def _unknown(variable: str) -> str:
    guess = FRENCH.get(variable.strip().lower()) or next(
        iter(difflib.get_close_matches(variable.strip().lower(), VARIABLES, n=1)), None
    )
    hint = f" (did you mean {{{guess}}}?)" if guess else ""
    known = ", ".join(f"{{{v}}}" for v in VARIABLES)
    return f"unknown variable {{{variable}}}{hint}; use {known}, or write {{{{ and }}}} for literal braces"


def check_template(text: Any, field: str) -> list[FieldError]:
    """Every problem of one template, each naming the field: unknown variables, lone braces."""
    if not isinstance(text, str) or not text.strip():
        return [FieldError(field, "write the answer's text")]
    if len(text) > MAX_LENGTH:
        return [FieldError(field, f"at most {MAX_LENGTH} characters ({len(text)} now)")]
    errors = []
    for token in TOKEN.finditer(text):
        variable = token.group(1)
        if token.group(0) in ("{", "}"):
            brace = token.group(0)
            errors.append(
                FieldError(
                    field,
                    f"a lone {brace!r} at character {token.start() + 1}; "
                    f"write {brace * 2} for a literal brace",
                )
            )
        elif variable is not None and variable not in VARIABLES:
            errors.append(FieldError(field, _unknown(variable)))
    return errors


def render(text: str, values: Mapping[str, str]) -> str:
    """Fill the variables (values are never read as templates themselves); `{{`/`}}` become braces."""
    errors = check_template(text, "text")
    if errors:
        raise ValidationFailed("the canned answer is invalid", errors)

    def fill(token: re.Match[str]) -> str:
        if token.group(0) in ("{{", "}}"):
            return token.group(0)[0]
        return values.get(token.group(1), "")

    return TOKEN.sub(fill, text)


def check_name(name: Any, field: str) -> list[FieldError]:
    if not isinstance(name, str) or not NAME.match(name):
        return [FieldError(field, "a short key in lowercase letters, digits, - or _, e.g. apology")]
    return []


def check_language(language: Any, field: str) -> list[FieldError]:
    if language not in LANGUAGES:
        return [FieldError(field, f"use one of {', '.join(LANGUAGES)}")]
    return []


def check_department(department: Any, departments: set[str], field: str) -> list[FieldError]:
    if department is None or (isinstance(department, str) and department in departments):
        return []
    known = ", ".join(sorted(departments))
    return [FieldError(field, f"unknown department {department!r}; use one of {known}, or leave it out")]


def _check_entry(raw: Any, departments: set[str], where: str) -> list[FieldError]:
    if not isinstance(raw, Mapping):
        return [FieldError(where, "each canned answer is a mapping {department, name, en, fr}")]
    errors = [FieldError(f"{where}.{k}", "unknown key") for k in raw if k not in ENTRY_KEYS]
    errors += check_department(raw.get("department"), departments, f"{where}.department")
    errors += check_name(raw.get("name"), f"{where}.name")
    if not any(language in raw for language in LANGUAGES):
        errors.append(FieldError(where, "give the text in en, fr or both"))
    for language in LANGUAGES:
        if language in raw:
            errors += check_template(raw[language], f"{where}.{language}")
    return errors


def check_canned_answers(raw: Any, departments: set[str], where: str = "canned_answers") -> list[FieldError]:
    """Validate the `canned_answers:` list of the organisation file; absent (None) is an empty list."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        return [FieldError(where, "a list of {department, name, en, fr} mappings")]
    errors: list[FieldError] = []
    seen: set[tuple[Any, Any]] = set()
    for i, entry in enumerate(raw):
        errors += _check_entry(entry, departments, f"{where}[{i}]")
        if isinstance(entry, Mapping):
            key = (repr(entry.get("department")), repr(entry.get("name")))
            if key in seen:
                errors.append(FieldError(f"{where}[{i}].name", f"{key[1]} is declared twice here"))
            seen.add(key)
    return errors


def parse_canned_answers(raw: Any) -> list[CannedText]:
    """The file's list as one CannedText per language; call check_canned_answers first."""
    named = {e.get("department") for e in raw if isinstance(e, Mapping)} if isinstance(raw, list) else set()
    errors = check_canned_answers(raw, {d for d in named if isinstance(d, str)})
    if errors:
        raise ValidationFailed("the canned answers are invalid", errors)
    return [
        CannedText(entry.get("department"), entry["name"], language, entry[language])
        for entry in raw or []
        for language in LANGUAGES
        if language in entry
    ]


def pick_for(
    answers: list[CannedText], department: str | None, language: str
) -> list[tuple[CannedText, bool]]:
    """One answer per name for a case: its language before the other, then the department's own
    before the organisation-wide one. Each comes with True when it is in the other language."""
    wanted = language if language in LANGUAGES else LANGUAGES[1]
    order = [wanted, *(other for other in LANGUAGES if other != wanted)]

    def rank(answer: CannedText) -> tuple[int, int]:
        return order.index(answer.language), 0 if answer.department == department else 1

    usable = [a for a in answers if a.department in (None, department) and a.language in LANGUAGES]
    best: dict[str, CannedText] = {}
    for answer in sorted(usable, key=rank):
        best.setdefault(answer.name, answer)
    return [(best[name], best[name].language != wanted) for name in sorted(best)]
