"""An organisation's own label set, learnt through the path corrections take: banking77's 77 intents.

    python bench/label_sets.py [--data ../shared/data] [--quick]

Only banking77's train.csv is here (its test split is held out elsewhere), so a seeded,
stratified fifth of it is kept aside. Examples are stored as LabelExample rows and trained by
`do_learn`, exactly as `sablier learn --label-set banking77 --examples train.csv` does, then
the held-out fifth is read with `read_many`. Prints accuracy for 5, 10, 20 and all examples
per label (--quick: 5 and 10), with the training time, then (not with --quick) the issue's two
reference models trained and read on the same split. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "models"))
sys.path.insert(0, str(ROOT))

import corpora  # noqa: E402
from django_setup import setup_django  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

NAME = "banking77"
SEED = 7


def per_label(texts: list[str], labels: list[str], n: int | None) -> list[tuple[str, str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for text, label in zip(texts, labels, strict=True):
        grouped[label].append(text)
    chosen = []
    for label, members in sorted(grouped.items()):
        random.Random(SEED).shuffle(members)
        chosen += [(t, label) for t in members[: n or len(members)]]
    return chosen


def run(
    train: list[tuple[str, str]], test_texts: list[str], test_labels: list[str]
) -> tuple[float, float, str]:
    from django.utils import timezone

    from sablier.learning.bundle import organisation_bundle
    from sablier.learning.examples import do_add_examples
    from sablier.learning.models import LabelExample
    from sablier.learning.training import do_learn
    from sablier.understand.reader import read_many

    LabelExample.objects.filter(label_set=NAME).delete()
    do_add_examples(NAME, train)
    started = time.perf_counter()
    learnt = do_learn(NAME, now=timezone.now())
    seconds = time.perf_counter() - started
    bundle = organisation_bundle()
    predicted = []
    for start in range(0, len(test_texts), 256):
        predicted += [r.labels[NAME].value for r in read_many(test_texts[start : start + 256], bundle=bundle)]
    accuracy = sum(p == y for p, y in zip(predicted, test_labels, strict=True)) / len(test_labels)
    return accuracy, seconds, learnt.method


def references(
    train: list[str], y_train: list[str], test: list[str], y_test: list[str]
) -> list[tuple[str, float]]:
    """The issue's two reference models on the same split, so that the hub's figure compares with
    theirs: TF-IDF + logistic regression, and MiniLM embeddings + logistic regression (C as
    chosen on the inner validation fifth, docs/decisions.md)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from sablier.understand.minilm import encode

    def accuracy(model: Any, x_train: Any, x_test: Any) -> float:
        model.fit(x_train, y_train)
        return float(sum(p == y for p, y in zip(model.predict(x_test), y_test, strict=True)) / len(y_test))

    tfidf = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LogisticRegression(C=30, max_iter=3000)
    )
    found = [("TF-IDF (words 1-2) + logistic regression", accuracy(tfidf, train, test))]
    embedded_train, embedded_test = encode(train, batch_size=64), encode(test, batch_size=64)
    minilm = LogisticRegression(C=30, max_iter=3000)
    found.append(("MiniLM embeddings + logistic regression", accuracy(minilm, embedded_train, embedded_test)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--quick", action="store_true", help="5 and 10 examples per label only")
    args = parser.parse_args()
    if not (args.data / "banking77" / "train.csv").exists():
        print(f"no banking77 at {args.data}: pass --data PATH")
        return 0
    texts, labels = corpora.banking77(args.data)
    train, test, y_train, y_test = train_test_split(
        texts, labels, test_size=0.2, random_state=0, stratify=labels
    )
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        print(f"banking77: {len(train)} train / {len(test)} held out, 77 labels\n")
        print("| examples per label | accuracy | training time |\n|---|---|---|")
        method = ""
        for n in (5, 10) if args.quick else (5, 10, 20, None):
            accuracy, seconds, method = run(per_label(train, y_train, n), test, y_test)
            print(f"| {n or 'all'} | {accuracy:.3f} | {seconds:.0f} s |", flush=True)
        print(f"\nmethod: {method}")
        if not args.quick:
            print("\nreference models, all examples, same held-out fifth:")
            for name, accuracy in references(train, y_train, test, y_test):
                print(f"  {name}: {accuracy:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
