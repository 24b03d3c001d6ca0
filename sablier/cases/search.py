"""Finding cases by the words of their messages: French and English, with or without accents.

The index of words (listen migration 0003) gives mention ids, hence case ids; the filters and the
newest-first order stay on the cases' own indexes. No single query shape is fast for every word:

- a rare word: its few matching messages come first, then their cases are filtered (`few`);
- a common word: the cases along the filters' index, newest first, are checked one by one until
  the page is full, which comes quickly (SQLite checks the text in Python: FTS5 takes 0.1 to 0.7 ms
  to say whether one message matches, as it opens every segment of its index).

So a search first asks how common its words are, cheaply: SQLite counts matches on FTS5 up to
FEW_MATCHES; PostgreSQL reads ANALYZE's most common words (a count there reads a frequent word's
whole posting list), then fetches at most FEW_MATCHES case ids. Left to choose, PostgreSQL's planner
misjudged rare words and read every case to the end (0.4 s at 1M mentions).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from sablier.cases import search_sql as sql
from sablier.cases.words import fts5_query, has_words, is_prefix, plain, posix_pattern, tsquery

FEW_MATCHES = 20_000
STATISTICS_FOR = 600.0  # seconds PostgreSQL's word statistics stay in memory
_frequent: dict[str, Any] = {}


@dataclass(frozen=True)
class PageMatch:
    condition: RawSQL
    few: bool  # few matching cases: they drive the query, one walk serves several states


def _condition(text: str, *params: Any) -> RawSQL:
    return RawSQL(text, params, output_field=BooleanField())


def among_matches(words: tuple[str, ...]) -> RawSQL:
    """Cases with a message holding every word, found from the index of words (the CSV export)."""
    if connection.vendor == "postgresql":
        return _condition(f'"cases_case"."id" IN ({sql.PG_MATCHES})', tsquery(words))
    return _condition(f'"cases_case"."id" IN ({sql.SQLITE_MATCHES})', fts5_query(words))


def _fetch(query: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return list(cursor.fetchall())


def _common_words() -> dict[str, float]:
    """PostgreSQL's most common words, with how many messages hold each, read every few minutes."""
    if time.monotonic() - _frequent.get("at", -STATISTICS_FOR) >= STATISTICS_FOR:
        rows = _fetch(sql.PG_FREQUENT, [])
        words, shares, total = rows[0] if rows and rows[0][0] else ([], [], 0)
        _frequent.update(
            at=time.monotonic(), counts=dict(zip(words, [s * total for s in shares], strict=False))
        )
    return dict(_frequent["counts"])


def _expected_matches(words: tuple[str, ...]) -> float:
    counts = _common_words()

    def of(word: str) -> float:
        bare = plain(word)
        return sum(n for w, n in counts.items() if w == bare or (is_prefix(bare) and w.startswith(bare)))

    return min(of(word) for word in words)


def _postgresql(words: tuple[str, ...]) -> PageMatch:
    if _expected_matches(words) < FEW_MATCHES:
        found = _fetch(f"{sql.PG_MATCHES} LIMIT %s", [tsquery(words), FEW_MATCHES + 1])
        if len(found) <= FEW_MATCHES:
            cases = sorted({int(row[0]) for row in found})
            return PageMatch(_condition('"cases_case"."id" = ANY(%s)', cases), few=True)
    patterns = [posix_pattern(word) for word in words]
    return PageMatch(_condition(sql.pg_each(len(words)), *patterns, tsquery(words)), few=False)


def _sqlite(words: tuple[str, ...]) -> PageMatch:
    term = fts5_query(words)
    counted = _fetch(f"SELECT count(*) FROM ({sql.FTS} LIMIT %s) AS found", [term, FEW_MATCHES])
    if counted[0][0] < FEW_MATCHES:
        return PageMatch(among_matches(words), few=True)
    connection.ensure_connection()  # the function lives on the connection that runs the query
    connection.connection.create_function(sql.SQLITE_FUNCTION, 2, has_words, deterministic=True)
    return PageMatch(_condition(sql.SQLITE_EACH, " ".join(plain(w) for w in words)), few=False)


def page_match(words: tuple[str, ...]) -> PageMatch:
    """The condition on cases for a page of the newest matching ones, in the fast shape."""
    return _postgresql(words) if connection.vendor == "postgresql" else _sqlite(words)
