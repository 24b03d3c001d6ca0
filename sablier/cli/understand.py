"""`sablier understand`: JSON lines {"id", "text"} in, one JSON line of judgement per input out, in order."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from tqdm import tqdm

from sablier.limits import MAX_TEXT_LENGTH
from sablier.understand import Reading, assess
from sablier.understand.bundle import Bundle
from sablier.understand.reader import read_many
from sablier.understand.second_pass import refine_many


@dataclass(frozen=True)
class Item:
    line: int
    id: Any
    text: str


@dataclass(frozen=True)
class Bad:
    line: int
    error: str


def parse(number: int, raw: str) -> Item | Bad:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return Bad(number, f"not JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(data, dict):
        return Bad(number, 'expected an object like {"id": 1, "text": "..."}')
    text = data.get("text")
    if not isinstance(text, str):
        return Bad(number, "field text: missing or not a string")
    if len(text) > MAX_TEXT_LENGTH:
        return Bad(number, f"field text: longer than {MAX_TEXT_LENGTH} characters")
    return Item(number, data.get("id"), text)


def judged(reading: Reading, item: Item, label_sets: list[str]) -> dict[str, Any]:
    dimensions = {"language": reading.language, "sentiment": reading.sentiment}
    dimensions |= {"intent": reading.intent, "urgency": reading.urgency}
    line: dict[str, Any] = {"id": item.id, **{k: j.value for k, j in dimensions.items()}}
    line["assessment"] = assess(reading).category
    line["confidence"] = {k: j.confidence for k, j in dimensions.items()}
    line["signals"] = sorted(reading.signals)
    line["reasons"] = reading.reasons
    if label_sets:
        line["labels"] = {name: reading.labels[name].value for name in label_sets}
    return line


def understood(
    lines: Iterable[str],
    bundle: Bundle,
    languages: tuple[str, ...],
    label_sets: list[str],
    batch: int,
    refine: bool = True,
) -> Iterator[dict[str, Any]]:
    """Output objects in input order; texts are read `batch` at a time, a bad line never stops the rest."""
    pending: list[Item | Bad] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        pending.append(parse(number, raw))
        if sum(isinstance(p, Item) for p in pending) >= batch:
            yield from flush(pending, bundle, languages, label_sets, refine)
            pending = []
    yield from flush(pending, bundle, languages, label_sets, refine)


def flush(
    pending: list[Item | Bad],
    bundle: Bundle,
    languages: tuple[str, ...],
    label_sets: list[str],
    refine: bool = True,
) -> Iterator[dict[str, Any]]:
    """The first pass, then (unless `refine` is off) the second pass's sentiment and complaint."""
    items = [p for p in pending if isinstance(p, Item)]
    texts = [i.text for i in items]
    first = read_many(texts, languages=languages, bundle=bundle)
    readings = iter(refine_many(texts, first, bundle=bundle) if refine and texts else first)
    for entry in pending:
        if isinstance(entry, Bad):
            yield {"line": entry.line, "error": entry.error}
        else:
            yield judged(next(readings), entry, label_sets)


def run(
    source: IO[str],
    out: IO[str],
    bundle: Bundle,
    languages: tuple[str, ...],
    label_sets: list[str],
    batch: int,
    progress: bool,
    refine: bool = True,
) -> int:
    """Returns how many lines were rejected."""
    rejected = 0
    bar = tqdm(unit=" msg", file=sys.stderr, disable=not progress, desc="understand")
    for line in understood(source, bundle, languages, label_sets, batch, refine):
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        rejected += "error" in line
        bar.update()
    bar.close()
    return rejected
