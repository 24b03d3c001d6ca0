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
from sablier.understand.head import NGRAMS, WITH_EMBEDDING, Head, probabilities_of_many
from sablier.understand.language import detect_language
from sablier.understand.language_gate import looks_french_or_english
from sablier.understand.reading import Judgement, Reading
from sablier.understand.sarcasm import find_sarcasm
from sablier.understand.signals import Cues, signals_and_cues
from sablier.understand.urgency import CRITICAL, detect_urgency
from sablier.understand.verdict import judge_many

SURE_OF_LANGUAGE = 0.97
HOSTILE_FROM = 0.5
IRONIC_FROM = 0.8  # the irony head is right about 6 times in 10: only its surest calls count
COMPLAINT_FROM = 0.5
UNSURE = 0.5
EXAMPLE_FROM = 0.12  # below this cosine the nearest example says nothing useful
EXAMPLE_BELOW = 0.8  # the nearest example is quoted where a person may doubt the intent
Scores = dict[str, np.ndarray]
JUDGED = ("sentiment", "intent", "urgency")
HEAD_SIGNALS = (  # head, its label, from which probability, the signal it raises
    ("hostile", "hostile", HOSTILE_FROM, "hostile"),
    ("complaint", "complaint", COMPLAINT_FROM, "complaint"),
    ("irony", "ironic", IRONIC_FROM, "sarcasm"),
)


def read(text: str, *, languages: tuple[str, ...] = ("fr", "en"), bundle: Bundle | None = None) -> Reading:
    """Language, sentiment, intent, urgency and signals of `text`; pure and deterministic."""
    return read_many([text], languages=languages, bundle=bundle)[0]


def read_many(
    texts: Sequence[str],
    *,
    languages: tuple[str, ...] = ("fr", "en"),
    bundle: Bundle | None = None,
    embedded_sets: bool = True,
) -> list[Reading]:
    """One Reading per text, in order; the models run once over the whole batch. The routing path
    passes `embedded_sets=False`: label sets read through MiniLM (hundreds of messages a second,
    not thousands) are left to the second pass (`read_embedded_sets`)."""
    if not texts:
        return []
    models = usable(bundle or shipped_bundle())
    if not embedded_sets:
        models = replace(models, label_sets=_sets(models, NGRAMS))
    scores = _scores(models, texts)
    quotes = models.featurizer.quotes(texts)
    heads = {**{name: models.heads[name] for name in JUDGED}, **models.label_sets}
    judged = {name: judge_many(head, scores[name], quotes) for name, head in heads.items()}
    raised = _signals_of_heads(models, scores)
    found = _languages(texts, languages, models, scores["language"])
    readings = [
        _reading(text, found[i], raised[i], {name: j[i] for name, j in judged.items()}, models)
        for i, text in enumerate(texts)
    ]
    return _with_examples(texts, readings, models)


def _scores(models: Bundle, texts: Sequence[str]) -> Scores:
    heads = {**models.heads, **models.label_sets}
    inputs = {NGRAMS: models.featurizer.transform(texts)}
    if any(head.inputs == WITH_EMBEDDING for head in heads.values()):
        inputs[WITH_EMBEDDING] = with_embedding(inputs[NGRAMS], texts)
    scores = probabilities_of_many({n: h for n, h in heads.items() if h.inputs == NGRAMS}, inputs[NGRAMS])
    for name, head in heads.items():
        if head.inputs != NGRAMS:
            scores[name] = head.probabilities(inputs[head.inputs])
    return scores


def _sets(models: Bundle, inputs: str) -> dict[str, Head]:
    return {name: head for name, head in models.label_sets.items() if head.inputs == inputs}


def read_embedded_sets(texts: Sequence[str], bundle: Bundle | None = None) -> list[dict[str, Judgement]]:
    """The label sets a first pass without `embedded_sets` left out, for each text."""
    models = usable(bundle or shipped_bundle())
    sets = _sets(models, WITH_EMBEDDING)
    if not sets or not texts:
        return [{} for _ in texts]
    embedded = with_embedding(models.featurizer.transform(texts), texts)
    quotes = models.featurizer.quotes(texts)
    judged = {name: judge_many(head, head.probabilities(embedded), quotes) for name, head in sets.items()}
    return [{name: found[i] for name, found in judged.items()} for i in range(len(texts))]


def _with_examples(texts: Sequence[str], readings: list[Reading], models: Bundle) -> list[Reading]:
    """Where a person may doubt the intent, the nearest labelled example is quoted beside it."""
    doubtful = [i for i, r in enumerate(readings) if r.intent.confidence < EXAMPLE_BELOW]
    if not models.exemplars or not doubtful:
        return readings
    found = models.exemplars.nearest([texts[i] for i in doubtful])
    shown = list(readings)
    for i, nearest in zip(doubtful, found, strict=True):
        shown[i] = _with_example(readings[i], nearest)
    return shown


def _with_example(reading: Reading, nearest: Nearest) -> Reading:
    if nearest[2] < EXAMPLE_FROM:
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


def _reading(
    text: str, language: Judgement, from_heads: frozenset[str], judged: dict[str, Judgement], models: Bundle
) -> Reading:
    sentiment = sarcastic(text, judged["sentiment"])
    found, cues = signals_and_cues(text, sentiment.value == "negative")
    signals = found | from_heads
    intent = _intent(signals, cues, judged["intent"], sentiment)
    return Reading(
        language=language,
        sentiment=sentiment,
        intent=intent,
        urgency=detect_urgency(judged["urgency"], intent, signals, cues),
        signals=signals,
        labels={name: judged[name] for name in models.label_sets},
    )


def _signals_of_heads(models: Bundle, scores: Scores) -> list[frozenset[str]]:
    """Hostility, complaint and irony heads add to the lexicon's signals; they never remove one."""
    raised = []
    for name, label, threshold, signal in HEAD_SIGNALS:
        above = scores[name][:, models.heads[name].labels.index(label)] >= threshold
        raised.append([signal if flag else None for flag in above.tolist()])
    return [frozenset(signal for signal in row if signal) for row in zip(*raised, strict=True)]


def _languages(
    texts: Sequence[str], languages: tuple[str, ...], models: Bundle, scores: np.ndarray
) -> list[Judgement]:
    """The language head when the text plainly reads as French or English; lingua otherwise."""
    head = models.heads["language"]
    fits = set(languages) >= set(head.labels)
    found = []
    for text, best, top in zip(
        texts, scores.argmax(axis=1).tolist(), scores.max(axis=1).tolist(), strict=True
    ):
        if top >= SURE_OF_LANGUAGE and fits and looks_french_or_english(text):
            value, confidence = head.labels[best], round(top, 3)
            found.append(Judgement(value, confidence, (f"language model: {value} {confidence:.2f}",)))
        else:
            found.append(detect_language(text, languages))
    return found


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
