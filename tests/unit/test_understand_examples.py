"""The final reading on realistic messages, both languages: what a central team would expect."""

import pytest

from sablier.understand import read
from sablier.understand.reading import INTENTS

INTENT_EXAMPLES = [
    ("complaint", "My mortgage renewal has been stuck for 2 weeks and nobody answers the phone"),
    ("complaint", "Ça fait 3 semaines que j'attends pour mon hypothèque, toujours pas de réponse"),
    ("complaint", "@RBC why am I being charged a $15 fee now? Nobody told me about this"),
    ("question", "how do I reset my password?"),
    ("question", "Mot de passe oublié, comment je fais pour le réinitialiser?"),
    ("sales_lead", "Je cherche à acheter une maison, quels sont vos taux?"),
    ("sales_lead", "What's the interest rate on your 5-year fixed mortgage? Thinking of switching to you"),
    ("press", "Hi, I'm a reporter at CTV News, could we get a comment on today's outage?"),
    ("press", "Je suis journaliste, je prépare un article sur les frais bancaires."),
    ("job", "Vous embauchez?"),
    ("job", "Are you hiring summer students this year?"),
    ("partnership", "We're a fintech startup and would love to explore a partnership"),
    ("partnership", "Notre agence propose une collaboration pour votre prochain événement"),
    ("crisis", "There is smoke and fire in your branch on Main St!"),
    ("crisis", "Il y a de la fumée dans votre succursale, quelqu'un est blessé"),
    ("spam_troll", "You are all idiots and thieves"),
    ("spam_troll", "Gang de voleurs, bande d'incompétents"),
    ("praise", "Thank you so much, excellent service today!"),
    ("praise", "Merci beaucoup, service impeccable 👏"),
]
SARCASM = [
    "great, another outage 🙃",
    "Merci pour rien, encore une panne",
    "Oh great, the website is down again during tax season",
    "Nice, another fee increase. Love it.",
]
NEGATED = [
    "ce n'est pas bon du tout",
    "I'm not happy with the service",
    "Thanks, but still waiting for my refund",
]


def test_it_recognises_realistic_messages() -> None:
    """A floor, not a wish list: the trained head may miss one or two (bench/understand.py measures)."""
    misses = [(intent, text, read(text).intent.value) for intent, text in INTENT_EXAMPLES]
    misses = [miss for miss in misses if miss[0] != miss[2]]
    assert len(misses) <= 2, misses


def test_the_examples_cover_every_intent_but_other() -> None:
    assert {intent for intent, _ in INTENT_EXAMPLES} == set(INTENTS) - {"other"}


@pytest.mark.parametrize("text", SARCASM)
def test_it_reads_sarcasm_as_negative(text: str) -> None:
    assert read(text).sentiment.value == "negative"


@pytest.mark.parametrize("text", NEGATED)
def test_it_reads_negation_and_contrast(text: str) -> None:
    assert read(text).sentiment.value == "negative"


@pytest.mark.parametrize(
    "text",
    ["Thank you so much, excellent service today! 👍", "Merci beaucoup pour votre aide, service impeccable"],
)
def test_it_reads_plain_praise_as_positive(text: str) -> None:
    assert read(text).sentiment.value == "positive"


def test_it_quotes_the_words_behind_a_judgement() -> None:
    reading = read("Worst customer service, I'm so disappointed")
    assert reading.sentiment.value == "negative"
    assert any("disappointed" in reason for reason in reading.sentiment.reasons)


def test_it_shows_the_nearest_labelled_example_beside_the_intent() -> None:
    reading = read("Ma carte a été débitée deux fois et personne ne répond")
    example = [r for r in reading.intent.reasons if r.startswith("nearest labelled example (")]
    assert len(example) == 1 and example[0].startswith("nearest labelled example (complaint, ")
