"""Reading mention files: JSON lines, the hub's CSV, and the "Customer Support on Twitter" CSV.

Rows stream one by one (a file may hold millions), except the Twitter format, whose replies come
before their parents and must be sorted by time first."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sablier.errors import FieldError, ValidationFailed

TWCS_COLUMNS = {"tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id"}
TWCS_DATE = "%a %b %d %H:%M:%S %z %Y"


@dataclass(frozen=True)
class Row:
    line: int
    data: dict[str, Any] | None  # the mention, in the hub's shape
    error: str = ""
    raw: dict[str, Any] | None = None  # the row as the file had it


def _decoded(number: int, raw_line: bytes) -> str | Row:
    try:
        return raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return Row(number, None, f"not UTF-8 at byte {exc.start}: re-save the file as UTF-8")


def _jsonl(path: Path) -> Iterator[Row]:
    with path.open("rb") as lines:
        for number, raw_line in enumerate(lines, start=1):
            text = _decoded(number, raw_line)
            if isinstance(text, Row):
                yield text
            elif text.strip():
                yield _json_row(number, text)


def _json_row(number: int, text: str) -> Row:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Row(number, None, f"not valid JSON: {exc.msg} at column {exc.colno}")
    return (
        Row(number, data, raw=data) if isinstance(data, dict) else Row(number, None, "expected a JSON object")
    )


def _tweet_id(value: str | None) -> str | None:
    return (value or "").strip().removesuffix(".0") or None


def _twcs(row: dict[str, str]) -> dict[str, Any]:
    author = (row.get("author_id") or "").strip()
    tweet = _tweet_id(row.get("tweet_id"))
    try:
        created: Any = datetime.strptime((row.get("created_at") or "").strip(), TWCS_DATE).isoformat()
    except ValueError:
        created = row.get("created_at")
    return {
        "network": "x",
        "external_id": tweet,
        "text": row.get("text"),
        "author": {"handle": f"@{author}", "display_name": author},
        "url": f"https://x.com/{author}/status/{tweet}",
        "created_at": created,
        "in_reply_to": _tweet_id(row.get("in_response_to_tweet_id")),
        "direction": "inbound" if (row.get("inbound") or "").strip().lower() == "true" else "outbound",
    }


def _hub_csv(row: dict[str, str]) -> dict[str, Any]:
    return {
        "network": row.get("network"),
        "external_id": row.get("external_id"),
        "text": row.get("text"),
        "author": {
            "handle": row.get("author_handle"),
            "display_name": row.get("author_display_name") or "",
            "profile_url": row.get("author_profile_url") or "",
        },
        "url": row.get("url") or None,
        "created_at": row.get("created_at"),
        "in_reply_to": row.get("in_reply_to") or None,
    }


def _csv(path: Path) -> Iterator[Row]:
    with io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", newline="", errors="strict") as handle:
        yield from _csv_rows(path, handle)


def _csv_rows(path: Path, handle: io.TextIOWrapper) -> Iterator[Row]:
    try:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or [])
        is_twcs = columns >= TWCS_COLUMNS
        convert = _twcs if is_twcs else _hub_csv
        rows = (Row(reader.line_num, convert(r), raw=dict(r)) for r in reader)
        if is_twcs:
            # Replies often precede their parents in this export; oldest first rebuilds the threads.
            yield from sorted(rows, key=lambda r: str((r.data or {}).get("created_at")))
        else:
            yield from rows
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            f"{path.name} is not UTF-8 (byte {exc.start}); re-save it as UTF-8",
            [FieldError("file", "UTF-8 CSV expected")],
        ) from exc


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def read_rows(path: Path) -> Iterator[Row]:
    if path.suffix.lower() == ".csv":
        return _csv(path)
    return _jsonl(path)
