"""Full-text search over mention text, French and English, with or without accents.

SQLite: an FTS5 index with the mentions as external content (`unicode61 remove_diacritics 2`:
"été" and "ete" are one word), kept in step by triggers in the writing transaction.
PostgreSQL: a GIN index over to_tsvector('simple', …) of the text lower-cased, decomposed (NFKD)
and stripped of its combining accents, which needs no extension (`unaccent` is only STABLE and
could not be indexed; translate() costs 3 times as much per message).
`sablier/cases/search.py` queries both; the PostgreSQL expression in `search_sql.py` must stay
identical.

Careful: Django rebuilds a SQLite table to add a NOT NULL column, which drops its triggers. A later
migration that does so to listen_mention must run SQLITE_TRIGGERS again
(tests/stack/test_inbox_search.py fails when the triggers are missing).
"""

from django.db import migrations

PG_DOCUMENT = (
    "to_tsvector('simple'::regconfig, regexp_replace(normalize(lower(text), NFKD), '[\\u0300-\\u036f]', '', 'g'))"
)

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS listen_mention_fts USING fts5("
    "text, content='listen_mention', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS listen_mention_fts_ai AFTER INSERT ON listen_mention BEGIN"
    " INSERT INTO listen_mention_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS listen_mention_fts_ad AFTER DELETE ON listen_mention BEGIN"
    " INSERT INTO listen_mention_fts(listen_mention_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " END",
    "CREATE TRIGGER IF NOT EXISTS listen_mention_fts_au AFTER UPDATE OF text ON listen_mention BEGIN"
    " INSERT INTO listen_mention_fts(listen_mention_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " INSERT INTO listen_mention_fts(rowid, text) VALUES (new.id, new.text); END",
]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS listen_mention_words", None)  # a failed try
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY listen_mention_words ON listen_mention USING gin (({PG_DOCUMENT}))",
            None,
        )
    elif schema_editor.connection.vendor == "sqlite":
        for statement in [SQLITE_TABLE, *SQLITE_TRIGGERS]:
            schema_editor.execute(statement, None)
        schema_editor.execute("INSERT INTO listen_mention_fts(listen_mention_fts) VALUES ('rebuild')", None)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS listen_mention_words", None)
    elif schema_editor.connection.vendor == "sqlite":
        for suffix in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS listen_mention_fts_{suffix}", None)
        schema_editor.execute("DROP TABLE IF EXISTS listen_mention_fts", None)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY: a hub with millions of mentions keeps taking them in meanwhile.
    atomic = False

    dependencies = [
        ("listen", "0002_claims"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
