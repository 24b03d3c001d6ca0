from sablier.understand.language import detect_language
from sablier.understand.language_gate import looks_french_or_english


def test_it_detects_quebec_french_inside_a_noisy_tweet():
    text = "@Desjardins @DesjardinsAide ça fait 3 semaines que j'attends 😡 #fail https://t.co/x1"
    judgement = detect_language(text)
    assert judgement.value == "fr"
    assert judgement.reasons[0].startswith("lingua: fr")


def test_it_detects_english_despite_handles_hashtags_and_links():
    text = "@AirCanada @AirCanadaHelp still waiting on my refund 🙄 #aircanada https://t.co/abc"
    assert detect_language(text).value == "en"


def test_it_answers_other_for_a_language_not_configured():
    judgement = detect_language("Hola, ¿cuáles son sus horarios de apertura el sábado?")
    assert judgement.value == "other"
    assert judgement.reasons[0].startswith("lingua: es")


def test_it_answers_other_with_low_confidence_when_too_short():
    for text in ("", "ok 👍", "@bmo https://t.co/x"):
        judgement = detect_language(text)
        assert (judgement.value, judgement.confidence) == ("other", 0.1)


def test_it_reports_a_configured_third_language_by_its_code():
    text = "Hola, ¿cuáles son sus horarios de apertura el sábado?"
    assert detect_language(text, ("fr", "en", "es")).value == "es"


def test_the_gate_splits_words_at_a_variation_selector_as_prose_does():
    assert looks_french_or_english("the\ufe0fand")
    assert not looks_french_or_english("the\ufe0f")
