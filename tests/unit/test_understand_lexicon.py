import re
from pathlib import Path

from sablier.understand.lexicon import compile_cue, cues, found

PACKAGE = Path(__file__).parents[2] / "sablier" / "understand"
ALLOWED_ROOTS = {"__future__", "collections", "dataclasses", "functools", "importlib", "re"}
ALLOWED_ROOTS |= {"typing", "unicodedata", "lingua", "yaml", "sablier"}


def test_it_matches_whole_words_only():
    assert found("negative_experience", "My bugle is broken") == ("broken",)
    assert found("technical", "I love my apple pie") == ()


def test_it_folds_case_accents_and_apostrophes():
    assert found("negative_experience", "TOUJOURS PAS DE REPONSE") == ("pas de réponse",)
    assert found("urgent", "C EST URGENT svp") == ("c'est urgent",)
    curly = "j\u2019attends depuis lundi"
    assert found("negative_experience", curly) == ("j'attends depuis",)


def test_it_reads_apostrophes_loosely_like_tweets_do():
    assert compile_cue("j'attends").search("jattends encore")
    assert compile_cue("j'attends").search("j attends encore")


def test_it_understands_numbers_and_gaps_in_cues():
    text = "Ça fait trois longues semaines que j'attends"
    assert found("negative_experience", text) == ("ça fait <n> ... que j'attends",)


def test_it_keeps_the_longest_cue_where_cues_overlap():
    assert found("negative", "pas content du tout") == ("pas content",)


def test_every_category_is_read_by_the_code():
    """The models decide intent and sentiment now; a category nobody asks for is dead weight."""
    source = " ".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py"))
    asked = set(re.findall(r'(?:find|affirmed|found)\("([a-z_]+)"', source))
    asked |= set(re.findall(r'"[a-z_]+": "([a-z_]+)",', source))  # signals.LEXICAL
    assert sorted(set(cues()) - asked) == []


def test_a_cue_begins_a_word_though_its_first_word_is_looked_for_first():
    pattern = compile_cue("rembours*")
    found_words = [m.group() for m in pattern.finditer("rembourse, prerembourse, l'remboursement")]
    assert found_words == ["rembourse", "remboursement"]


def test_where_two_cues_match_the_same_words_the_more_literal_one_is_quoted():
    assert found("profanity", "boring as fuck!") == ("fuck",)
