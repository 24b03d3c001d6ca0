"""Canned answers, pure: variables, escaping, the organisation file's list, language fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from sablier.answer.canned import (
    CannedText,
    check_canned_answers,
    check_template,
    parse_canned_answers,
    pick_for,
    render,
)
from sablier.errors import FieldError, ValidationFailed
from tests.unit.test_layout import FORBIDDEN, imports_of

VALUES = dict(name="Ana", handle="@ana", agent="Léa", department="Service", case="7", network="x")
DEPARTMENTS = {"central", "customer-service", "marketing"}


def test_it_renders_every_variable() -> None:
    text = "{name} {handle} {agent} {department} #{case} {network}"
    assert render(text, VALUES) == "Ana @ana Léa Service #7 x"


def test_it_renders_doubled_braces_as_literal_ones() -> None:
    assert render("{{name}} is {name}; {{{name}}}", VALUES) == "{name} is Ana; {Ana}"


def test_it_never_reads_a_value_as_a_template() -> None:
    assert render("Hi {name}", {**VALUES, "name": "{case} {{x}}"}) == "Hi {case} {{x}}"


def test_it_names_the_field_and_the_unknown_variable() -> None:
    [error] = check_template("Bonjour {nom}", "canned_answers[2].fr")
    assert error.field == "canned_answers[2].fr"
    assert error.message.startswith("unknown variable {nom} (did you mean {name}?); use {name}, {handle}")


def test_it_suggests_the_closest_variable_for_a_typo() -> None:
    assert "did you mean {handle}?" in check_template("{handel}", "text")[0].message


@pytest.mark.parametrize("text", ["50% off {", "a } b", "{name.upper}", "{0}", "{}", "{name!r}", "   "])
def test_it_refuses_lone_braces_format_tricks_and_blanks(text: str) -> None:
    assert [e.field for e in check_template(text, "text")] == ["text"]
    with pytest.raises(ValidationFailed):
        render(text, VALUES)


def test_it_checks_the_organisation_file_list_naming_each_key() -> None:
    raw = [
        {"department": "customer-service", "name": "apology", "en": "Sorry {name}", "fr": "Désolés {name}"},
        {"name": "thanks", "en": "Thanks!"},
        {"department": "nowhere", "name": "Bad Name", "fr": "Merci {nom}", "emoji": "x"},
        {"department": "customer-service", "name": "apology", "en": "again"},
        "not a mapping",
        {"name": "empty"},
    ]
    assert check_canned_answers(raw, DEPARTMENTS) == [
        FieldError("canned_answers[2].emoji", "unknown key"),
        FieldError("canned_answers[2].department", unknown_department("nowhere")),
        FieldError(
            "canned_answers[2].name", "a short key in lowercase letters, digits, - or _, e.g. apology"
        ),
        check_template("{nom}", "canned_answers[2].fr")[0],
        FieldError("canned_answers[3].name", "'apology' is declared twice here"),
        FieldError("canned_answers[4]", "each canned answer is a mapping {department, name, en, fr}"),
        FieldError("canned_answers[5]", "give the text in en, fr or both"),
    ]


def unknown_department(slug: str) -> str:
    known = ", ".join(sorted(DEPARTMENTS))
    return f"unknown department {slug!r}; use one of {known}, or leave it out"


def test_it_accepts_an_absent_list_and_refuses_a_mapping() -> None:
    assert check_canned_answers(None, DEPARTMENTS) == []
    assert [e.field for e in check_canned_answers({"apology": "x"}, DEPARTMENTS, "org.canned")] == [
        "org.canned"
    ]


def test_it_parses_one_text_per_language() -> None:
    raw = [{"department": "marketing", "name": "thanks", "en": "Thanks {name}", "fr": "Merci {name}"}]
    assert parse_canned_answers(raw) == [
        CannedText("marketing", "thanks", "fr", "Merci {name}"),
        CannedText("marketing", "thanks", "en", "Thanks {name}"),
    ]


ANSWERS = [
    CannedText(None, "thanks", "fr", "Merci (tous)"),
    CannedText("customer-service", "thanks", "en", "Thanks (service)"),
    CannedText("customer-service", "apology", "en", "Sorry (service)"),
    CannedText(None, "apology", "en", "Sorry (all)"),
    CannedText("marketing", "promo", "fr", "Promo"),
]


def test_it_prefers_the_case_language_then_the_department() -> None:
    french = [(a.text, fallback) for a, fallback in pick_for(ANSWERS, "customer-service", "fr")]
    english = [(a.text, fallback) for a, fallback in pick_for(ANSWERS, "customer-service", "en")]
    assert french == [("Sorry (service)", True), ("Merci (tous)", False)]
    assert english == [("Sorry (service)", False), ("Thanks (service)", False)]


def test_it_offers_english_first_for_another_language() -> None:
    assert [a.text for a, _ in pick_for(ANSWERS, None, "other")] == ["Sorry (all)", "Merci (tous)"]


def test_it_keeps_the_template_module_free_of_io() -> None:
    path = Path(__file__).resolve().parents[2] / "sablier" / "answer" / "canned.py"
    assert sorted(m for m in imports_of(path) if m.startswith(FORBIDDEN)) == []


def test_it_renders_the_picker_escaped_and_translated() -> None:
    canned = [{"name": "apology", "language": "en", "text": 'Sorry "Ana" <b>', "fallback": True}]
    with translation.override("fr"):
        html = render_to_string("sablier/_canned.html", {"canned": canned})
        empty = render_to_string("sablier/_canned.html", {"canned": []})
    assert 'data-text="Sorry &quot;Ana&quot; &lt;b&gt;"' in html
    assert "getElementById('draft-text')" in html and "Réponse préparée" in html
    assert ">apology (en)</option>" in html
    assert "Aucune réponse préparée" in empty and "<select" not in empty
