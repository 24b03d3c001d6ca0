import pytest

from sablier.understand.sentiment import detect_sentiment


@pytest.mark.parametrize(
    "text",
    [
        "great, another outage 🙃",
        "Merci pour rien, encore une panne",
        "Bravo encore une panne",
        "Oh great, the website is down again during tax season",
        "My flight got delayed. Great.",
        "Nice, another fee increase. Love it.",
    ],
)
def test_it_reads_sarcasm_as_negative(text):
    judgement = detect_sentiment(text)
    assert judgement.value == "negative"
    assert any(r.startswith("sarcasm:") for r in judgement.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you so much, excellent service today! 👍",
        "Merci beaucoup pour votre aide, service impeccable",
        "Les employés sont super gentils, merci Josée!",
    ],
)
def test_it_reads_plain_praise_as_positive(text):
    assert detect_sentiment(text).value == "positive"


def test_it_lists_the_words_it_matched():
    judgement = detect_sentiment("Worst customer service, I'm so disappointed")
    assert judgement.value == "negative"
    assert "negative: 'disappointed'" in judgement.reasons


def test_it_turns_negated_words_around():
    assert detect_sentiment("ce n'est pas bon du tout").value == "negative"
    assert detect_sentiment("I'm not happy with the service").value == "negative"
    assert detect_sentiment("No problem, thanks!").value == "positive"


def test_it_weighs_what_comes_after_but():
    assert detect_sentiment("Thanks, but still waiting for my refund").value == "negative"
    assert detect_sentiment("Flight delayed but the crew was great!").value == "positive"


def test_it_keeps_sincere_thanks_positive():
    judgement = detect_sentiment("Perfect, the problem is solved, thanks again!")
    assert judgement.value == "positive"
    assert not any(r.startswith("sarcasm") for r in judgement.reasons)


def test_it_is_neutral_without_cues():
    judgement = detect_sentiment("What are your opening hours on Saturday?")
    assert (judgement.value, judgement.reasons) == ("neutral", ("no sentiment cue",))
