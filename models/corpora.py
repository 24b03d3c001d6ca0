"""Loaders for the public labelled corpora in ../shared/data (see its README): (texts, labels) pairs."""

from __future__ import annotations

import csv
from pathlib import Path

Pairs = tuple[list[str], list[str]]
SENTIMENT = {"0": "negative", "1": "neutral", "2": "positive"}


def lines(folder: Path, split: str, mapping: dict[str, str] | None = None) -> Pairs:
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").split()
    if len(texts) != len(labels):
        raise ValueError(f"{folder}: {len(texts)} texts but {len(labels)} labels in {split}")
    return texts, [mapping.get(x, x) if mapping else x for x in labels]


def table(path: Path, text: str, label: str) -> Pairs:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r[text] for r in rows], [r[label] for r in rows]


def tweeteval_sentiment(data: Path, split: str) -> Pairs:
    return lines(data / "tweeteval-sentiment", split, SENTIMENT)


def xlmt(data: Path, language: str, split: str) -> Pairs:
    return lines(data / "xlmt-sentiment" / language, split, SENTIMENT)


def airline(data: Path, split: str) -> Pairs:
    return table(data / "airline-twitter-sentiment" / f"{split}.csv", "text", "sentiment")


def complaints(data: Path, split: str) -> Pairs:
    texts, labels = table(data / "complaints-twitter" / f"{split}.csv", "text", "complaint")
    return texts, ["complaint" if x == "1" else "not_complaint" for x in labels]


def irony(data: Path, split: str) -> Pairs:
    return lines(data / "tweeteval-irony", split, {"0": "not_ironic", "1": "ironic"})


def offensive(data: Path, split: str) -> Pairs:
    return lines(data / "tweeteval-offensive", split, {"0": "not_hostile", "1": "hostile"})


def hostility(data: Path, language: str, split: str) -> Pairs:
    texts, labels = table(data / "mlma-hostility" / f"{language}_{split}.csv", "text", "toxic")
    return texts, ["hostile" if x == "1" else "not_hostile" for x in labels]


def banking77(data: Path) -> Pairs:
    return table(data / "banking77" / "train.csv", "text", "category")
