"""read(text) / read_many(texts): every dimension of each message, as Readings.

Trained heads decide language, sentiment and intent; a few rules outrank them where a miss
costs too much: threats, self-harm and safety make a message a crisis, and sarcasm turns
praise negative. Urgency follows rules over the heads' answers and the lexicon's signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from sablier.understand.bundle import Bundle, shipped_bundle
from sablier.understand.embedding import embedding_available, with_embedding
from sablier.understand.exemplars import Nearest, quoted_example
from sablier.understand.head import NGRAMS, WITH_EMBEDDING
from sablier.understand.language import detect_language
from sablier.understand.language_gate import looks_french_or_english
from sablier.understand.reading import Judgement, Reading
from sablier.understand.sarcasm import find_sarcasm
from sablier.understand.signals import Cues, signals_and_cues
from sablier.understand.urgency import CRITICAL, detect_urgency
from sablier.understand.verdict import judge, probability_of

SURE_OF_LANGUAGE = 0.97
HOSTILE_FROM = 0.5
IRONIC_FROM = 0.8  # the irony head is right about 6 times in 10: only its surest calls count
COMPLAINT_FROM = 0.5
UNSURE = 0.5
EXAMPLE_FROM = 0.12  # below this cosine the nearest example says nothing useful
EXAMPLE_BELOW = 0.8  # the nearest example is quoted where a person may doubt the intent
Scores = dict[str, np.ndarray]


def read(text: str, *, languages: tuple[str, ...] = ("fr", "en"), bundle: Bundle | None = None) -> Reading:
    """Language, sentiment, intent, urgency and signals of `text`; pure and deterministic."""
    return read_many([text], languages=languages, bundle=bundle)[0]


def read_many(
    texts: Sequence[str], *, languages: tuple[str, ...] = ("fr", "en"), bundle: Bundle | None = None
) -> list[Reading]:
    """One Reading per text, in order; the models run once over the whole batch."""
    if not texts:
        return []
    models = usable(bundle or shipped_bundle())
    heads = {**models.heads, **models.label_sets}
    inputs = {NGRAMS: models.featurizer.transform(texts)}
    if any(head.inputs == WITH_EMBEDDING for head in heads.values()):
        inputs[WITH_EMBEDDING] = with_embedding(inputs[NGRAMS], texts)
    scores = {name: head.probabilities(inputs[head.inputs]) for name, head in heads.items()}
    readings = [
        _reading(text, languages, models, {name: p[i] for name, p in scores.items()})
        for i, text in enumerate(texts)
    ]
    nearest: list[Nearest | None] = [None] * len(texts)
    doubtful = [i for i, r in enumerate(readings) if r.intent.confidence < EXAMPLE_BELOW]
    if models.exemplars and doubtful:
        found = models.exemplars.nearest([texts[i] for i in doubtful])
        for i, near in zip(doubtful, found, strict=True):
            nearest[i] = near
    return [_with_example(reading, near) for reading, near in zip(readings, nearest, strict=True)]


def _with_example(reading: Reading, nearest: Nearest | None) -> Reading:
    if nearest is None or nearest[2] < EXAMPLE_FROM:
        return reading
    intent = reading.intent
    shown = Judgement(intent.value, intent.confidence, (*intent.reasons, quoted_example(*nearest)))
    return replace(reading, intent=shown)


def usable(models: Bundle) -> Bundle:
    """Without the MiniLM package, label sets trained with embeddings are skipped, not fatal."""
    if all(h.inputs != WITH_EMBEDDING for h in models.label_sets.values()) or embedding_available():
        return models
    kept = {name: head for name, head in models.label_sets.items() if head.inputs != WITH_EMBEDDING}
    return replace(models, label_sets=kept)


def _reading(text: str, languages: tuple[str, ...], models: Bundle, scores: Scores) -> Reading:
    grams = models.featurizer.words(text)
    sentiment = sarcastic(text, judge(models.heads["sentiment"], scores["sentiment"], grams))
    found, cues = signals_and_cues(text, sentiment.value == "negative")
    signals = found | _signals_of_heads(models, scores)
    intent = _intent(signals, cues, judge(models.heads["intent"], scores["intent"], grams), sentiment)
    urgency = judge(models.heads["urgency"], scores["urgency"], grams)
    return Reading(
        language=_language(text, languages, models, scores["language"]),
        sentiment=sentiment,
        intent=intent,
        urgency=detect_urgency(urgency, intent, signals, cues),
        signals=signals,
        labels={name: judge(head, scores[name], grams) for name, head in models.label_sets.items()},
    )


def _signals_of_heads(models: Bundle, scores: Scores) -> frozenset[str]:
    """Hostility, complaint and irony heads add to the lexicon's signals; they never remove one."""
    heads = models.heads
    raised = set()
    if probability_of(heads["hostile"], scores["hostile"], "hostile") >= HOSTILE_FROM:
        raised.add("hostile")
    if probability_of(heads["complaint"], scores["complaint"], "complaint") >= COMPLAINT_FROM:
        raised.add("complaint")
    if probability_of(heads["irony"], scores["irony"], "ironic") >= IRONIC_FROM:
        raised.add("sarcasm")
    return frozenset(raised)


def _language(text: str, languages: tuple[str, ...], models: Bundle, scores: np.ndarray) -> Judgement:
    """The language head when the text plainly reads as French or English; lingua otherwise."""
    head = models.heads["language"]
    best = int(np.argmax(scores))
    sure = scores[best] >= SURE_OF_LANGUAGE and set(languages) >= set(head.labels)
    if sure and looks_french_or_english(text):
        value, confidence = head.labels[best], round(float(scores[best]), 3)
        return Judgement(value, confidence, (f"language model: {value} {confidence:.2f}",))
    return detect_language(text, languages)


def _complaint_when_unsure(
    signals: frozenset[str], cues: Cues, model: Judgement, sentiment: Judgement
) -> Judgement:
    """Where the intent model hesitates, a negative message describing a bad experience is a complaint."""
    if model.confidence >= UNSURE or sentiment.value != "negative" or "negative_experience" not in signals:
        return model
    found = ", ".join(cues.get("negative_experience", ())) or "complaint words"
    reason = f"rule: intent model unsure ({model.value} {model.confidence:.2f}); bad experience: {found}"
    return Judgement("complaint", 0.5, (reason, *model.reasons))


def sarcastic(text: str, model: Judgement) -> Judgement:
    """Sarcasm ("great, another outage 🙃") turns a positive reading negative."""
    sarcasm = find_sarcasm(text) if model.value == "positive" else ()
    if not sarcasm:
        return model
    confidence = max(0.6, model.confidence)
    return Judgement("negative", confidence, (*sarcasm, "rule: sarcasm turns praise negative"))


def _intent(signals: frozenset[str], cues: Cues, model: Judgement, sentiment: Judgement) -> Judgement:
    danger = [name for name in CRITICAL if name in signals]
    if not danger or model.value == "crisis":
        return _complaint_when_unsure(signals, cues, model, sentiment)
    found = [f"{name}: {', '.join(cues.get(name, ()))}" for name in danger]
    return Judgement("crisis", 0.9, (*found, f"rule: {danger[0]} outranks the model's {model.value}"))
