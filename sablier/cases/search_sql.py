"""The SQL of a text search on each database, over listen migration 0003's indexes.

PostgreSQL's document is to_tsvector('simple', …) of the text lower-cased, decomposed (NFKD) and
stripped of its combining accents: no extension needed. It must stay identical to the migration's,
or the planner will not use the GIN index.
"""

from __future__ import annotations

INDEX = "listen_mention_words"
ACCENTS = "'[\\u0300-\\u036f]'"  # the combining marks NFKD splits off: é is e + U+0301


def pg_plain(column: str) -> str:
    return f"regexp_replace(normalize(lower({column}), NFKD), {ACCENTS}, '', 'g')"


PG_DOCUMENT = f"to_tsvector('simple'::regconfig, {pg_plain('text')})"
PG_QUERY = f"to_tsquery('simple'::regconfig, {pg_plain('%s')})"
# The case of every matching message, found from the index of words.
PG_MATCHES = f"SELECT m.case_id FROM listen_mention m WHERE {PG_DOCUMENT} @@ {PG_QUERY}"
# The frequent words, from ANALYZE's statistics on the index's expression.
PG_FREQUENT = (
    "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples FROM pg_stats s"
    f" JOIN pg_class c ON c.relname = s.tablename WHERE s.tablename = '{INDEX}'"
)


def pg_each(words: int) -> str:
    """One case at a time: a regular expression per word first (words.posix_pattern: every match
    passes it, in a few microseconds where the document costs 100 to 200), then the document.
    OFFSET 0 keeps the check per case: as a join, it read every case of a rare word to the end."""
    holds = " AND ".join(["m.text ~* %s"] * words)
    document = PG_DOCUMENT.replace("(text", "(m.text")
    return (
        'EXISTS (SELECT 1 FROM listen_mention m WHERE m.case_id = "cases_case"."id"'
        f" AND {holds} AND {document} @@ {PG_QUERY} OFFSET 0)"
    )


FTS = "SELECT rowid FROM listen_mention_fts WHERE listen_mention_fts MATCH %s"
SQLITE_MATCHES = f"SELECT m.case_id FROM listen_mention m WHERE m.id IN ({FTS})"
SQLITE_FUNCTION = "sablier_has_words"
SQLITE_EACH = (
    f'EXISTS (SELECT 1 FROM listen_mention m WHERE m.case_id = "cases_case"."id"'
    f" AND {SQLITE_FUNCTION}(m.text, %s))"
)
