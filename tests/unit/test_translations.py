"""French is first-class: every interface string has a translation, and the compiled catalogue matches."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2] / "sablier"
CATALOGUE = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)
TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")


def _joined(quoted: str) -> str:
    return "".join(ast.literal_eval(line) for line in quoted.strip().splitlines())


def catalogue() -> dict[str, str]:
    text = CATALOGUE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text, "a fuzzy entry is not used by Django: translate it"
    return {_joined(i): _joined(s) for i, s in ENTRY.findall(text) if _joined(i)}


def test_it_translates_every_catalogue_entry() -> None:
    assert [msgid for msgid, msgstr in catalogue().items() if not msgstr] == []


def test_it_has_every_template_string_in_the_catalogue() -> None:
    known = catalogue()
    used = {m.group(2) for t in PACKAGE.rglob("*.html") for m in TEMPLATE_STRING.finditer(t.read_text())}
    assert len(used) > 30
    assert sorted(used - set(known)) == []


@pytest.mark.parametrize("msgid", sorted(catalogue()))
def test_it_ships_a_compiled_catalogue_matching_the_source(msgid: str) -> None:
    with translation.override("fr"):
        assert translation.gettext(msgid) == catalogue()[msgid]
