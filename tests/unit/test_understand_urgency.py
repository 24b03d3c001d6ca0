import pytest

from sablier.understand import read
from sablier.understand.reading import Judgement
from sablier.understand.signals import signals_and_cues
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
def test_it_stays_critical_whatever_the_models_say(text):
    calm = Judgement("praise", 0.9)
    signals, cues = signals_and_cues(text, negative=False)
    urgency = detect_urgency(Judgement("low", 0.99), calm, signals, cues)
    assert urgency.value == "critical"


def test_a_crisis_is_at_least_high():
    urgency = detect_urgency(Judgement("low", 0.8), Judgement("crisis", 0.7), frozenset(), {})
    assert urgency.value == "high" and urgency.reasons[0] == "rule: crisis intent (0.70)"


def test_it_names_self_harm_not_threat_for_kill_myself():
    reading = read("I want to kill myself")
    assert "self_harm" in reading.signals and "threat" not in reading.signals
    assert reading.urgency.reasons[0] == "self_harm: 'kill myself'"


def test_it_raises_an_urgent_complaint_to_high():
    assert read("My card is blocked, I need it urgently please help").urgency.value in ("high", "critical")
    assert read("Ma carte est bloquée, c'est urgent!").urgency.value in ("high", "critical")


def test_it_keeps_praise_low_and_questions_normal():
    assert read("Merci beaucoup, service impeccable").urgency.value == "low"
    assert read("How do I reset my password?").urgency.value == "normal"
