"""Trained heads: storage, calibration, learning from corrections, and the words they quote."""

from __future__ import annotations

import numpy as np

from sablier.understand.bundle import shipped_bundle
from sablier.understand.features import normalise
from sablier.understand.head import Head
from sablier.understand.learning import adjust_head, calibrate, expected_calibration_error, fit_head, log_loss

TEXTS = [
    "the card was declined",
    "my card is blocked",
    "carte refusée encore",
    "carte bloquée au guichet",
    "mortgage rate too high",
    "renew my mortgage",
    "taux hypothécaire",
    "renouveler mon hypothèque",
] * 3
LABELS = ["cards"] * 4 + ["mortgage"] * 4
LABELS = LABELS * 3


def test_it_replaces_handles_links_and_digits_before_the_models_see_them() -> None:
    assert normalise("@Bob@mastodon.social see https://x.y/z 1234 sooooo") == " _user_  see  _url_  00 soo"


def test_a_head_survives_storage() -> None:
    featurizer = shipped_bundle().featurizer
    head = fit_head("product", featurizer.transform(TEXTS), LABELS)
    again = Head.from_bytes(head.to_bytes())
    features = featurizer.transform(["carte refusée"])
    assert again.labels == ("cards", "mortgage")
    assert np.allclose(again.probabilities(features), head.probabilities(features), atol=1e-3)


def test_it_quotes_the_words_that_pushed_towards_the_label() -> None:
    featurizer = shipped_bundle().featurizer
    head = fit_head("product", featurizer.transform(TEXTS), LABELS)
    assert "hypothèque" in head.evidence(featurizer.words("question sur mon hypothèque"), "mortgage")


def test_expected_calibration_error_tells_calibrated_from_overconfident() -> None:
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.5, 1.0, 5000)
    truth = np.where(rng.uniform(size=5000) < confidence, 0, 1)  # right as often as it claims
    calibrated = np.column_stack([confidence, 1 - confidence])
    overconfident = np.column_stack([np.full(5000, 0.99), np.full(5000, 0.01)])
    assert expected_calibration_error(calibrated, truth) < 0.03
    assert expected_calibration_error(overconfident, truth) > 0.15


def test_calibrate_picks_a_temperature_that_lowers_log_loss() -> None:
    featurizer = shipped_bundle().featurizer
    head = fit_head("product", featurizer.transform(TEXTS), LABELS)
    held_out = [
        "ma carte ne marche plus",
        "card stopped working",
        "hypothèque à renouveler",
        "mortgage renewal",
    ]
    truth = np.array([0, 0, 1, 1])
    features = featurizer.transform(held_out)
    tuned = calibrate(head, features, [head.labels[i] for i in truth])
    assert tuned.temperature != head.temperature and tuned.coef is head.coef
    assert log_loss(tuned.probabilities(features), truth) < log_loss(head.probabilities(features), truth)


def test_corrections_move_a_shipped_head_without_forgetting_the_other_labels() -> None:
    bundle = shipped_bundle()
    start = bundle.heads["intent"]
    text = "Le guichet automatique de la rue Saint-Denis avale les cartes"
    assert start.labels[int(start.probabilities(bundle.featurizer.transform([text])).argmax())] != "crisis"
    adjusted = adjust_head(start, bundle.featurizer.transform([text] * 10), ["crisis"] * 10)
    after = adjusted.probabilities(
        bundle.featurizer.transform([text, "Merci pour votre aide rapide, bravo!"])
    )
    assert adjusted.labels[int(after[0].argmax())] == "crisis"
    assert adjusted.labels[int(after[1].argmax())] == "praise"
