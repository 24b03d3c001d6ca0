"""Reading mention files: JSON lines, the hub's CSV, and the "Customer Support on Twitter" CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

TWCS_COLUMNS = {"tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id"}
TWCS_DATE = "%a %b %d %H:%M:%S %z %Y"


@dataclass(frozen=True)
class Row:
    line: int
    data: dict[str, Any] | None
    error: str = ""


def _jsonl(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Row(number, None, f"not valid JSON: {exc.msg} at column {exc.colno}")
                continue
            yield (
                Row(number, data, "")
                if isinstance(data, dict)
                else Row(number, None, "expected a JSON object")
            )


def _tweet_id(value: str) -> str | None:
    value = (value or "").strip()
    return value.removesuffix(".0") or None


def _twcs(row: dict[str, str]) -> dict[str, Any]:
    author = row["author_id"].strip()
    inbound = row["inbound"].strip().lower() == "true"
    try:
        created: Any = datetime.strptime(row["created_at"].strip(), TWCS_DATE).isoformat()
    except ValueError:
        created = row["created_at"]
    return {
        "network": "x",
        "external_id": _tweet_id(row["tweet_id"]),
        "text": row["text"],
        "author": {"handle": f"@{author}", "display_name": author},
        "url": f"https://x.com/{author}/status/{_tweet_id(row['tweet_id'])}",
        "created_at": created,
        "in_reply_to": _tweet_id(row.get("in_response_to_tweet_id", "")),
        "direction": "inbound" if inbound else "outbound",
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
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or [])
        convert = _twcs if columns >= TWCS_COLUMNS else _hub_csv
        rows = [Row(reader.line_num, convert(r)) for r in reader]
    if convert is _twcs:
        # Replies often precede their parents in the file; oldest first rebuilds the threads.
        rows.sort(key=lambda r: str((r.data or {}).get("created_at")))
    yield from rows


def read_rows(path: Path) -> Iterator[Row]:
    if path.suffix.lower() == ".csv":
        return _csv(path)
    return _jsonl(path)
