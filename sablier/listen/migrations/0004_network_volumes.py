"""Inbound mentions per network, counted by triggers in the transaction that stores them.

The inbox's top band showed count(*) over every mention on each refresh: seconds at millions of
mentions. listen_volume holds (network, slot, n); the volume of a network is the sum of its slots
(`sablier/listen/volumes.py`). PostgreSQL spreads concurrent writers over 8 slots by backend, so
two ingests of the same network do not wait on one row. A TRUNCATE of the mentions (the tests'
flush) empties the counts. Same caveat as 0003: a SQLite table rebuild of listen_mention drops
the triggers.
"""

from django.db import migrations

SQLITE = [
    "CREATE TABLE IF NOT EXISTS listen_volume (network varchar(30) NOT NULL, slot smallint NOT NULL,"
    " n bigint NOT NULL, PRIMARY KEY (network, slot))",
    "CREATE TRIGGER IF NOT EXISTS listen_volume_ai AFTER INSERT ON listen_mention"
    " WHEN new.direction = 'inbound' BEGIN INSERT INTO listen_volume (network, slot, n)"
    " VALUES (new.network, 0, 1) ON CONFLICT (network, slot) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER IF NOT EXISTS listen_volume_ad AFTER DELETE ON listen_mention"
    " WHEN old.direction = 'inbound' BEGIN INSERT INTO listen_volume (network, slot, n)"
    " VALUES (old.network, 0, -1) ON CONFLICT (network, slot) DO UPDATE SET n = n - 1; END",
]

POSTGRESQL = [
    "CREATE TABLE IF NOT EXISTS listen_volume (network varchar(30) NOT NULL, slot smallint NOT NULL,"
    " n bigint NOT NULL, PRIMARY KEY (network, slot))",
    """CREATE OR REPLACE FUNCTION listen_volume_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.direction = 'inbound' THEN
    INSERT INTO listen_volume (network, slot, n) VALUES (NEW.network, pg_backend_pid() % 8, 1)
    ON CONFLICT (network, slot) DO UPDATE SET n = listen_volume.n + 1;
  ELSIF TG_OP = 'DELETE' AND OLD.direction = 'inbound' THEN
    INSERT INTO listen_volume (network, slot, n) VALUES (OLD.network, pg_backend_pid() % 8, -1)
    ON CONFLICT (network, slot) DO UPDATE SET n = listen_volume.n - 1;
  END IF;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION listen_volume_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM listen_volume;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS listen_volume_count ON listen_mention",
    "CREATE TRIGGER listen_volume_count AFTER INSERT OR DELETE ON listen_mention"
    " FOR EACH ROW EXECUTE FUNCTION listen_volume_count()",
    "DROP TRIGGER IF EXISTS listen_volume_reset ON listen_mention",
    "CREATE TRIGGER listen_volume_reset AFTER TRUNCATE ON listen_mention"
    " FOR EACH STATEMENT EXECUTE FUNCTION listen_volume_reset()",
]

FILL = (
    "INSERT INTO listen_volume (network, slot, n) SELECT network, 0, count(*) FROM listen_mention"
    " WHERE direction = 'inbound' GROUP BY network"
)


def create_volumes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, []):
        schema_editor.execute(statement, None)
    if vendor in ("sqlite", "postgresql"):
        schema_editor.execute("DELETE FROM listen_volume", None)
        schema_editor.execute(FILL, None)


def drop_volumes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS listen_volume_ai", None)
        schema_editor.execute("DROP TRIGGER IF EXISTS listen_volume_ad", None)
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS listen_volume_count ON listen_mention", None)
        schema_editor.execute("DROP TRIGGER IF EXISTS listen_volume_reset ON listen_mention", None)
        schema_editor.execute("DROP FUNCTION IF EXISTS listen_volume_count()", None)
        schema_editor.execute("DROP FUNCTION IF EXISTS listen_volume_reset()", None)
    if vendor in ("sqlite", "postgresql"):
        schema_editor.execute("DROP TABLE IF EXISTS listen_volume", None)


class Migration(migrations.Migration):
    dependencies = [
        ("listen", "0003_mention_search"),
    ]

    operations = [
        migrations.RunPython(create_volumes, drop_volumes, elidable=False),
    ]
