import json

from sablier.understand import Reading, read


def test_it_reads_every_dimension_of_a_message():
    reading = read("@Videotron encore une panne internet, ça fait 2 jours! Inacceptable 😡")
    assert reading.language.value == "fr"
    assert (reading.sentiment.value, reading.intent.value) == ("negative", "complaint")
    assert reading.urgency.value == "high"
    assert {"negative_experience", "technical"} <= reading.signals


def test_it_round_trips_through_json():
    reading = read("Great, another outage 🙃 still waiting for a fix?")
    assert Reading.from_json(json.loads(json.dumps(reading.to_json()))) == reading


def test_it_is_deterministic():
    text = "Je cherche à acheter une maison, quels sont vos taux?"
    assert read(text) == read(text)


def test_it_honours_the_configured_languages():
    text = "Hola, ¿cuáles son sus horarios de apertura el sábado?"
    assert read(text).language.value == "other"
    assert read(text, languages=("fr", "en", "es")).language.value == "es"
