import pytest

from sablier.people.opt_out_requests import opt_out_request


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "Unsubscribe",
        "arrêt",
        "Please unsubscribe me from these emails",
        "Ne me contactez plus, merci.",
        "Arrêtez de m'envoyer vos promotions!",
    ],
)
def test_it_hears_a_request_to_stop_on_this_channel(text: str) -> None:
    request = opt_out_request(text)
    assert request is not None and request.every_channel is False


@pytest.mark.parametrize(
    "text",
    [
        "En vertu de la Loi 25, supprimez mes données personnelles.",
        "Under GDPR I ask you to delete my data.",
    ],
)
def test_it_hears_a_privacy_request_for_every_channel(text: str) -> None:
    request = opt_out_request(text)
    assert request is not None and request.every_channel is True


@pytest.mark.parametrize(
    "text",
    [
        "Stop charging me fees for nothing!",
        "The bus stop near the branch is closed",
        "Je ne comprends pas l'arrêt de service",
        "Your app is unsubscribable lol",
    ],
)
def test_it_does_not_mistake_ordinary_complaints_for_opt_outs(text: str) -> None:
    assert opt_out_request(text) is None
