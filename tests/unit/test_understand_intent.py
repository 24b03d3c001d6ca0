import pytest

from sablier.understand.intent import PRIORITY, detect_intent
from sablier.understand.reading import INTENTS

EXAMPLES = [
    ("complaint", "My mortgage renewal has been stuck for 2 weeks and nobody answers the phone"),
    ("complaint", "Ça fait 3 semaines que j'attends pour mon hypothèque, toujours pas de réponse"),
    ("complaint", "@RBC why am I being charged a $15 fee now? Nobody told me about this"),
    ("question", "how do I reset my password?"),
    ("question", "Mot de passe oublié, comment je fais pour le réinitialiser?"),
    ("sales_lead", "Je cherche à acheter une maison, quels sont vos taux?"),
    ("sales_lead", "What's the interest rate on your 5-year fixed mortgage?"),
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


@pytest.mark.parametrize(("intent", "text"), EXAMPLES)
def test_it_recognises_realistic_messages(intent, text):
    assert detect_intent(text).value == intent


def test_it_scores_every_intent_of_the_vocabulary():
    assert set(PRIORITY) | {"other"} == set(INTENTS)
    assert {intent for intent, _ in EXAMPLES} == set(INTENTS) - {"other"}


def test_it_gives_a_bare_question_mark_low_confidence():
    judgement = detect_intent("?")
    assert (judgement.value, judgement.confidence) == ("question", 0.3)


def test_it_needs_a_negative_experience_for_a_complaint():
    assert detect_intent("What are the fees on my mortgage?").value != "complaint"
    assert detect_intent("My mortgage payment was charged twice").value == "complaint"


def test_it_says_other_when_nothing_matches():
    assert detect_intent("Il neige à Montréal ce matin").value == "other"


def test_it_does_not_take_praise_words_at_face_value_when_sarcastic():
    assert detect_intent("Merci pour rien, encore une panne").value == "complaint"


def test_it_lets_a_longer_cue_win_over_a_word_inside_it():
    judgement = detect_intent("Great job on the new app, so much faster now!")
    assert judgement.value == "praise"
    assert "'great job'" in judgement.reasons[0]
