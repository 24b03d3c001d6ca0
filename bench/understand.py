"""Understanding quality and speed on public validation data and the hub's own evaluation set.

    python bench/understand.py [--data ../shared/data] [--quick]

Prints, per dataset, the metric on the validation split for the first pass (the routing one),
for the hub's final answer (the second pass, `understand/second_pass.py`, where it refines the
dimension; the first pass's answer otherwise) and for two reference baselines run in the same
process (VADER for English sentiment; TF-IDF + logistic regression trained on the same training
split), then messages/s at batch 1 and 64 on one thread and peak memory for each pass.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "models"))
sys.path.insert(0, str(ROOT))

import corpora  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import classification_report, f1_score, recall_score  # noqa: E402

from sablier.understand.language import detect_language  # noqa: E402
from sablier.understand.reader import read_many  # noqa: E402
from sablier.understand.reading import Reading  # noqa: E402
from sablier.understand.second_pass import refine_many, second_pass_available  # noqa: E402

Pairs = tuple[list[str], list[str]]
HUB_EVAL = ROOT / "data" / "hub-taxonomy" / "eval.jsonl"


def readings(texts: Sequence[str]) -> list[Reading]:
    out: list[Reading] = []
    for start in range(0, len(texts), 64):
        out += read_many(texts[start : start + 64])
    return out


def refined(texts: Sequence[str], first: Sequence[Reading]) -> list[Reading]:
    out: list[Reading] = []
    for start in range(0, len(texts), 64):
        out += refine_many(texts[start : start + 64], first[start : start + 64])
    return out


def second_pass(texts: list[str]) -> list[Reading]:
    return refine_many(texts, read_many(texts))


def macro_recall(truth: Sequence[str], predicted: Sequence[str]) -> float:
    return float(recall_score(truth, predicted, average="macro"))


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    return float(f1_score(truth, predicted, average="macro"))


def positive_f1(label: str) -> Callable[[Sequence[str], Sequence[str]], float]:
    return lambda truth, predicted: float(f1_score(truth, predicted, pos_label=label, average="binary"))


def tfidf_baseline(train: Pairs, test_texts: Sequence[str]) -> list[str]:
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    model = LogisticRegression(C=4.0, max_iter=1000, class_weight="balanced")
    model.fit(vectorizer.fit_transform(train[0]), train[1])
    return [str(y) for y in model.predict(vectorizer.transform(test_texts))]


def vader_baseline(texts: Sequence[str]) -> list[str]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    scores = [analyzer.polarity_scores(t)["compound"] for t in texts]
    return ["positive" if s >= 0.05 else "negative" if s <= -0.05 else "neutral" for s in scores]


def row(
    name: str,
    metric: str,
    ours: float,
    tfidf: float | None,
    vader: float | None = None,
    final: float | None = None,
) -> None:
    cells = [
        f"{ours:.3f}",
        f"{ours if final is None else final:.3f}",
        "-" if tfidf is None else f"{tfidf:.3f}",
        "-" if vader is None else f"{vader:.3f}",
    ]
    print(f"| {name} | {metric} | {' | '.join(cells)} |", flush=True)


def sentiment_rows(data: Path) -> None:
    for name, train, val, metric, vader in (
        (
            "tweeteval-sentiment",
            corpora.tweeteval_sentiment(data, "train"),
            corpora.tweeteval_sentiment(data, "val"),
            macro_recall,
            True,
        ),
        (
            "xlmt-french",
            corpora.xlmt(data, "french", "train"),
            corpora.xlmt(data, "french", "val"),
            macro_f1,
            False,
        ),
        (
            "airline-twitter-sentiment",
            corpora.airline(data, "train"),
            corpora.airline(data, "val"),
            macro_f1,
            True,
        ),
    ):
        first = readings(val[0])
        ours = [r.sentiment.value for r in first]
        final = [r.sentiment.value for r in refined(val[0], first)]
        vader_score = metric(val[1], vader_baseline(val[0])) if vader else None
        label = "macro recall" if metric is macro_recall else "macro F1"
        tfidf = metric(val[1], tfidf_baseline(train, val[0]))
        row(name, label, metric(val[1], ours), tfidf, vader_score, metric(val[1], final))


def signal_row(
    name: str, metric: str, signal: str, labels: tuple[str, str], train: Pairs, val: Pairs
) -> None:
    """A binary dataset scored on whether the reading raises `signal`; labels = (yes, no)."""
    first = readings(val[0])
    ours = [labels[0] if signal in r.signals else labels[1] for r in first]
    final = [labels[0] if signal in r.signals else labels[1] for r in refined(val[0], first)]
    score = macro_f1 if metric == "macro F1" else positive_f1(labels[0])
    tfidf = score(val[1], tfidf_baseline(train, val[0]))
    row(name, metric, score(val[1], ours), tfidf, final=score(val[1], final))


def binary_rows(data: Path) -> None:
    complaint = ("complaint", "not_complaint")
    hostile = ("hostile", "not_hostile")
    for name, metric, signal, labels, train, val in (
        ("complaints-twitter", "complaint F1", "complaint", complaint,
         corpora.complaints(data, "train"), corpora.complaints(data, "val")),
        ("tweeteval-offensive", "macro F1", "hostile", hostile,
         corpora.offensive(data, "train"), corpora.offensive(data, "val")),
        ("mlma-hostility-fr", "macro F1", "hostile", hostile,
         corpora.hostility(data, "fr", "train"), corpora.hostility(data, "fr", "val")),
        ("tweeteval-irony", "irony F1", "sarcasm", ("ironic", "not_ironic"),
         corpora.irony(data, "train"), corpora.irony(data, "val")),
    ):  # fmt: skip
        signal_row(name, metric, signal, labels, train, val)


def language_row(data: Path) -> None:
    fr, en = corpora.xlmt(data, "french", "val")[0], corpora.xlmt(data, "english", "val")[0]
    texts, truth = fr + en, ["fr"] * len(fr) + ["en"] * len(en)
    started = time.perf_counter()
    found = [detect_language(t).value for t in texts]
    rate = len(texts) / (time.perf_counter() - started)
    accuracy = sum(a == b for a, b in zip(found, truth, strict=True)) / len(texts)
    cells = f"{accuracy:.3f} | {accuracy:.3f} | - | -"
    print(f"| xlmt fr+en tweets | language accuracy | {cells} |  ({rate:,.0f} messages/s)")


def hub_rows() -> None:
    rows = [json.loads(line) for line in HUB_EVAL.read_text(encoding="utf-8").splitlines()]
    found = readings([r["text"] for r in rows])
    for dimension in ("intent", "urgency", "sentiment", "language"):
        truth = [r[dimension] for r in rows]
        predicted = [getattr(reading, dimension).value for reading in found]
        print(f"\nhub evaluation set ({len(rows)} posts), {dimension}:")
        print(classification_report(truth, predicted, digits=3, zero_division=0))


def rate(name: str, predict: Callable[[list[str]], object], texts: Sequence[str]) -> None:
    predict(list(texts[:64]))
    for batch in (1, 64):
        chunk = list(texts[: 256 if batch == 1 else 2048])
        started = time.perf_counter()
        for i in range(0, len(chunk), batch):
            predict(chunk[i : i + batch])
        per_second = len(chunk) / (time.perf_counter() - started)
        print(f"{name}, batch {batch}: {per_second:,.0f} messages/s on one thread")


def baseline_speed(data: Path, texts: Sequence[str]) -> None:
    """The baselines' own speed, in this process, for the ratio (their memory is the peak printed last)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    rate("VADER", lambda chunk: [analyzer.polarity_scores(t) for t in chunk], texts)
    train = corpora.tweeteval_sentiment(data, "train")
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    model = LogisticRegression(C=4.0, max_iter=1000, class_weight="balanced")
    model.fit(vectorizer.fit_transform(train[0]), train[1])
    rate("TF-IDF + LR (one head)", lambda chunk: model.predict(vectorizer.transform(chunk)), texts)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--quick", action="store_true", help="hub evaluation set and speed only")
    args = parser.parse_args()
    hub_texts = [json.loads(line)["text"] for line in HUB_EVAL.read_text(encoding="utf-8").splitlines()]
    rate("Sablier first pass (every head, rules, language)", read_many, hub_texts * 2)
    print(f"peak memory after the first pass: {peak_mb():.0f} MB")
    if second_pass_available():
        rate("Sablier second pass (first pass, then USE + VADER refinement)", second_pass, hub_texts)
        print(f"peak memory after the second pass: {peak_mb():.0f} MB")
    hub_rows()
    if args.quick or not (args.data / "README.md").exists():
        print("(public validation sets skipped: --quick or no data at --data)")
        return 0
    header = "| dataset (validation) | metric | first pass | final (second pass) | TF-IDF + LR | VADER |"
    print(f"\n{header}\n|---|---|---|---|---|---|")
    language_row(args.data)
    sentiment_rows(args.data)
    binary_rows(args.data)
    baseline_speed(args.data, hub_texts * 2)
    print(f"\npeak memory with the baselines loaded: {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
