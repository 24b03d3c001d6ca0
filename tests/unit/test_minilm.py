import numpy as np
import pytest

from sablier.understand.minilm import encode

MIXED = [
    "ok",
    "My parcel never arrived and nobody answers the phone, this is the third time I write to you @acme",
    "",
    "Merci 🙏 https://example.com/suivi?id=42",
    "Why is the website down again???",
]


def test_it_returns_one_unit_vector_per_text() -> None:
    vectors = encode(["A man is playing a guitar.", "Un chat dort au soleil."])
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)


def test_it_keeps_the_order_of_texts_of_mixed_lengths() -> None:
    forwards = encode(MIXED, batch_size=2)
    backwards = encode(MIXED[::-1], batch_size=2)
    np.testing.assert_allclose(forwards, backwards[::-1], atol=1e-5)


def test_it_gives_the_same_vectors_in_a_batch_as_one_by_one() -> None:
    together = encode(MIXED, batch_size=32)
    alone = np.concatenate([encode([text]) for text in MIXED])
    np.testing.assert_allclose(together, alone, atol=1e-5)


@pytest.mark.parametrize(
    ("text", "same", "other"),
    [
        ("My parcel never arrived.", "I still have not received my package.", "Is it sunny in Paris?"),
        ("Le site est en panne ce matin.", "Votre site ne marche plus ce matin.", "J'adore les croissants."),
    ],
)
def test_it_places_paraphrases_closer_than_unrelated_texts(text: str, same: str, other: str) -> None:
    vectors = encode([text, same, other])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_it_handles_the_empty_string_and_no_text() -> None:
    vectors = encode(["", " "])
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert encode([]).shape == (0, 384)


def test_it_reads_only_the_first_max_length_tokens() -> None:
    opening = "the delivery was late again " * 40
    vectors = encode([opening + "and I loved it", opening + "and I want a refund"], max_length=32)
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)


def test_it_refuses_a_max_length_the_model_was_not_trained_for() -> None:
    with pytest.raises(ValueError, match="max_length"):
        encode(["hello"], max_length=512)
