"""`sablier learn`: train one label set from its examples and store the head every worker loads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from scipy import sparse
from sklearn.model_selection import StratifiedKFold

from sablier.errors import FieldError, ValidationFailed
from sablier.learning.examples import gathered
from sablier.learning.models import LabelExample, TrainedHead
from sablier.understand.bundle import HEADS, shipped_bundle
from sablier.understand.embedding import embedding_available, with_embedding
from sablier.understand.head import NGRAMS, WITH_EMBEDDING, Head
from sablier.understand.learning import adjust_head, fit_head

MIN_PER_LABEL = 2
FOLDS = 5
Progress = Callable[[str, int, int], None]  # stage, done, total


def quiet(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class Learnt:
    label_set: str
    examples: int
    labels: int
    accuracy: float | None
    method: str

    def summary(self) -> str:
        score = "not measured" if self.accuracy is None else f"{self.accuracy:.3f}"
        return (
            f"{self.label_set}: {self.examples} examples, {self.labels} labels, "
            f"cross-validated accuracy {score}; {self.method}"
        )


def do_learn(label_set: str, *, now: datetime, progress: Progress = quiet) -> Learnt:
    texts, labels, last_id = gathered(label_set)
    check_trainable(label_set, labels)
    bundle = shipped_bundle()
    features = bundle.featurizer.transform(texts)
    if label_set in HEADS:
        head = adjust_head(bundle.heads[label_set], features, labels)
        method, accuracy = f"shipped {label_set} head adjusted by {len(texts)} corrections", None
    else:
        inputs, method = NGRAMS, "logistic regression on hashed word and character n-grams"
        if embedding_available():
            inputs, method = WITH_EMBEDDING, method + " and MiniLM sentence embeddings"
            features = with_embedding(features, texts, lambda n: progress("embedding", n, len(texts)))
        accuracy = cross_validated(label_set, features, labels, progress)
        head = fit_head(label_set, features, labels, inputs=inputs)
    store(label_set, head, len(texts), last_id, accuracy, method, now)
    return Learnt(label_set, len(texts), len(set(labels)), accuracy, method)


def check_trainable(label_set: str, labels: list[str]) -> None:
    if not labels:
        raise ValidationFailed(
            f"label set {label_set!r} has no examples",
            [FieldError("examples", "add some with `sablier learn --label-set NAME --examples FILE.csv`")],
        )
    counts = Counter(labels)
    if label_set in HEADS:
        unknown = sorted(set(counts) - set(shipped_bundle().heads[label_set].labels))
        if unknown:
            allowed = ", ".join(shipped_bundle().heads[label_set].labels)
            raise ValidationFailed(
                f"{label_set} examples use unknown labels",
                [FieldError("label", f"{unknown}: use one of {allowed}")],
            )
        return
    rare = sorted(label for label, n in counts.items() if n < MIN_PER_LABEL)
    if len(counts) < 2 or rare:
        why = (
            f"labels with fewer than {MIN_PER_LABEL} examples: {', '.join(rare[:10])}"
            if rare
            else "one label"
        )
        raise ValidationFailed(
            f"label set {label_set!r} cannot be trained yet",
            [FieldError("examples", f"need at least two labels with {MIN_PER_LABEL}+ examples each ({why})")],
        )


def cross_validated(
    name: str, features: sparse.csr_matrix, labels: list[str], progress: Progress
) -> float | None:
    folds = min(FOLDS, min(Counter(labels).values()))
    if folds < 2:
        return None
    truth = np.array(labels)
    correct = 0
    splits = StratifiedKFold(folds, shuffle=True, random_state=0).split(truth, truth)
    for done, (train, test) in enumerate(splits, start=1):
        head = fit_head(name, features[train], list(truth[train]))
        predicted = head.probabilities(features[test]).argmax(axis=1)
        correct += int((np.array(head.labels)[predicted] == truth[test]).sum())
        progress("cross-validating", done, folds)
    return correct / len(labels)


def store(
    label_set: str,
    head: Head,
    examples: int,
    last_id: int,
    accuracy: float | None,
    method: str,
    now: datetime,
) -> None:
    TrainedHead.objects.update_or_create(
        label_set=label_set,
        defaults={
            "artefact": head.to_bytes(),
            "labels": list(head.labels),
            "examples": examples,
            "last_example_id": last_id,
            "accuracy": accuracy,
            "method": method,
            "trained_at": now,
        },
    )


def due_label_sets(min_new: int) -> list[str]:
    """Label sets with at least `min_new` examples added since their last training."""
    seen = dict(TrainedHead.objects.values_list("label_set", "last_example_id"))
    names = LabelExample.objects.values_list("label_set", flat=True).distinct()
    return [
        name
        for name in names
        if LabelExample.objects.filter(label_set=name, id__gt=seen.get(name, 0)).count() >= min_new
    ]
