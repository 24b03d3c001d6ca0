import pytest

from sablier.understand import read
from sablier.understand.reading import Judgement
from sablier.understand.urgency import detect_urgency

THREATS = [
    "I know where you live, I'll kill you",
    "Je vais vous tuer, bande de voleurs",
    "I want to kill myself, my account is frozen and I lost everything",
    "Je vais me tuer si ça continue",
    "Got food poisoning after eating at your restaurant",
    "Fuite de données: mes infos sont en ligne",
]


@pytest.mark.parametrize("text", THREATS)
def test_it_makes_threats_self_harm_and_safety_critical(text):
    assert read(text).urgency.value == "critical"


@pytest.mark.parametrize("text", THREATS)
def test_it_stays_critical_whatever_the_intent_says(text):
    calm = Judgement("praise", 0.9)
    urgency = detect_urgency(text, calm, Judgement("positive", 0.9), read(text).signals)
    assert urgency.value == "critical"


def test_it_names_self_harm_not_threat_for_kill_myself():
    reading = read("I want to kill myself")
    assert "self_harm" in reading.signals and "threat" not in reading.signals
    assert reading.urgency.reasons == ("self_harm: 'kill myself'",)


def test_it_raises_an_urgent_complaint_to_high():
    assert read("My card is blocked, I need it urgently please help").urgency.value == "high"
    assert read("Ma carte est bloquée, c'est urgent!").urgency.value == "high"


def test_it_keeps_praise_low_and_questions_normal():
    assert read("Merci beaucoup, service impeccable").urgency.value == "low"
    assert read("How do I reset my password?").urgency.value == "normal"
