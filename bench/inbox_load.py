"""Stored mentions and their cases, written straight to the database in bulk for bench/inbox.py.

Texts are the demo's French and English mentions, each followed by two words of a made-up
vocabulary drawn from a Zipf law (rank 1 in a quarter of the messages, rank 5,000 in about 2 in
100,000), so that searches have common and rare words. Cases are spread over departments by the
demo text's intent; most are closed or answered, OPEN of them are open (most recent, some stale).
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import numpy as np

SYLLABLES = (
    "ba", "bé", "ca", "cé", "da", "dé", "fa", "fè", "ga", "la", "lé", "ma", "mé", "na", "né", "pa", "pé",
    "ra", "ré", "sa", "sé", "ta", "té", "va", "vé", "ri", "ro", "lu", "mo", "no", "po", "zo", "xi", "jo",
    "ki", "gu",
)  # fmt: skip
VOCABULARY = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES]
ZIPF = 1.1
RARE_RANK = 5000
OPEN_STATES = {"routed": 30, "in_department": 35, "drafted": 15, "awaiting_approval": 10, "reopened": 10}
INTENT_DEPARTMENTS = {
    "complaint": ("customer-service", "customer-service", "tech-support"),
    "question": ("customer-service", "tech-support"),
    "praise": ("marketing",),
    "spam_troll": ("central",),
    "other": ("customer-service", "central"),
    "job": ("hr",),
    "crisis": ("pr", "legal"),
    "press": ("pr",),
    "partnership": ("marketing",),
    "sales_lead": ("marketing",),
}
REPLIES = {
    "fr": "Bonjour, merci de votre message: nous regardons votre dossier et revenons vers vous.",
    "en": "Hi, thanks for reaching out: we are looking into it and will get back to you.",
}
START = datetime(2023, 1, 1, tzinfo=UTC)
CHUNK = 20_000  # cases per batch


@dataclass(frozen=True)
class Demo:
    text: str
    network: str
    language: str
    sentiment: str
    intent: str
    urgency: str


@dataclass
class Batch:
    raws: list[tuple[Any, ...]]
    mentions: list[tuple[Any, ...]]
    cases: list[tuple[Any, ...]]
    consulted: list[tuple[Any, ...]]


def demo_texts() -> list[Demo]:
    from sablier.understand.reader import read_many

    lines = resources.files("sablier.demo").joinpath("data/mentions.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in lines.splitlines() if line.strip()]
    readings = read_many([r["text"] for r in rows])
    return [
        Demo(r["text"], r["network"], x.language.value, x.sentiment.value, x.intent.value, x.urgency.value)
        for r, x in zip(rows, readings, strict=True)
    ]


def plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def rare_words(count: int) -> list[str]:
    """Words about as frequent as rank RARE_RANK, typed without their accents."""
    return [plain(VOCABULARY[RARE_RANK + i * 7]) for i in range(count)]


def _case_states(cases: int, open_total: int, rng: np.random.Generator) -> np.ndarray:
    """State numbers (indexes of STATES): mostly closed and answered, open ones recent or stale."""
    states = rng.choice(3, size=cases, p=[0.75, 0.20, 0.05])  # closed, answered, monitor_only
    recent = rng.choice(
        np.arange(max(0, cases - cases // 20), cases), size=min(cases // 20, open_total * 7 // 10)
    )
    stale = rng.choice(cases, size=max(0, open_total - len(recent)))
    picked = np.unique(np.concatenate([recent, stale]))
    weights = np.array(list(OPEN_STATES.values()), dtype=np.float64)
    states[picked] = 3 + rng.choice(len(OPEN_STATES), size=len(picked), p=weights / weights.sum())
    tail = np.arange(max(0, cases - 50), cases)
    states[tail] = np.where(tail % 5 == 0, 9, 8)  # triaged, new
    return states


STATES = ("closed", "answered", "monitor_only", *OPEN_STATES, "new", "triaged")


def _stamps(seconds: np.ndarray) -> list[str]:
    moments = np.datetime64(START.replace(tzinfo=None), "s") + seconds.astype("timedelta64[s]")
    return [text.replace("T", " ") for text in np.datetime_as_string(moments, unit="s").tolist()]


class Generator:
    def __init__(self, mentions: int, open_total: int, departments: dict[str, int], authors: int) -> None:
        self.rng = np.random.default_rng(8)
        self.demo = demo_texts()
        self.cases = mentions * 10 // 19  # 1.9 mentions per case on average
        self.states = _case_states(self.cases, open_total, self.rng)
        self.authors = authors
        ranks = np.arange(1, len(VOCABULARY) + 1, dtype=np.float64) ** -ZIPF
        self.weights = ranks / ranks.sum()
        # Six department slots per demo text, filled in turn from its intent's departments (their weights).
        self.slots = np.array(
            [
                [departments[d] for d in (INTENT_DEPARTMENTS.get(x.intent, ("customer-service",)) * 6)[:6]]
                for x in self.demo
            ]
        )
        self.consulted = np.array([departments[d] for d in ("legal", "central", "pr", "marketing")])
        self.written = 0

    def _cases(self, start: int, end: int, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        index = np.arange(start, end)
        demo = index % len(self.demo)
        states = self.states[start:end]
        departments = self.slots[demo, self.rng.integers(0, 6, size=len(index))]
        counts = self.rng.choice(4, size=len(index), p=[0.45, 0.30, 0.15, 0.10]) + 1
        opened, last = _stamps(index * 30), _stamps(index * 30 + (counts - 1) * 17 * 60)
        for i, case in enumerate(index.tolist()):
            x, state = self.demo[demo[i]], STATES[states[i]]
            department = None if state in ("new", "triaged") else int(departments[i])
            batch.cases.append((
                case + 1, state, department, x.language, x.sentiment, x.intent, x.urgency, "", "", "{}", "[]",
                opened[i], opened[i], last[i], None, "", None,
            ))  # fmt: skip
        asked = np.flatnonzero((self.rng.random(len(index)) < 0.05) & (states < 8))
        chosen = self.consulted[self.rng.integers(0, len(self.consulted), size=len(asked))]
        for i, department in zip(asked.tolist(), chosen.tolist(), strict=True):
            if department != departments[i]:
                batch.consulted.append((start + i + 1, department))
        return index, counts

    def _mentions(self, index: np.ndarray, counts: np.ndarray, batch: Batch) -> None:
        case = np.repeat(index, counts)
        turn = np.arange(len(case)) - np.repeat(np.cumsum(counts) - counts, counts)
        picks = self.rng.choice(len(VOCABULARY), size=(len(case), 2), p=self.weights)
        words = [f"{VOCABULARY[a]} {VOCABULARY[b]}" for a, b in picks.tolist()]
        authors = np.where(
            turn % 2 == 0, self.rng.integers(1, self.authors + 1, size=len(case)), self.authors + 1
        )
        stamps = _stamps(case * 30 + turn * 17 * 60)
        rows = zip(case.tolist(), turn.tolist(), authors.tolist(), words, stamps, strict=True)
        for mid, (c, t, author, extra, stamp) in enumerate(rows, start=self.written + 1):
            own = self.demo[c % len(self.demo)]
            inbound = t % 2 == 0
            text = (
                self.demo[(c + t * 7) % len(self.demo)].text
                if inbound
                else REPLIES.get(own.language, REPLIES["en"])
            )
            batch.raws.append((mid, own.network, f"b{mid:09d}", "{}", "bench", stamp))  # in id order
            direction, key = ("inbound" if inbound else "outbound"), f"b{mid:09d}"
            batch.mentions.append((
                mid, mid, own.network, key, author, direction, f"{text} {extra}", "", stamp, "", c + 1,
                "{}", True, "", None,
            ))  # fmt: skip
        self.written += len(case)

    def batches(self) -> Iterator[Batch]:
        for start in range(0, self.cases, CHUNK):
            batch = Batch([], [], [], [])
            index, counts = self._cases(start, min(start + CHUNK, self.cases), batch)
            self._mentions(index, counts, batch)
            yield batch


def generate(
    mentions: int, open_total: int, departments: dict[str, int], authors: int, write: Callable[[Batch], None]
) -> None:
    started = time.perf_counter()
    generator = Generator(mentions, open_total, departments, authors)
    for batch in generator.batches():
        write(batch)
        rate = generator.written / (time.perf_counter() - started)
        print(f"\r  {generator.written:,} mentions ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
