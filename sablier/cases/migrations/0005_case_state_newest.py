"""Cases of one state, newest first, without sorting them: (state, id).

The inbox's "Monitor only" column, a department's consulted cases and `/api/cases?state=…` walk one
state by id. (state, department, id) orders by department first, so SQLite sorted every case of
the state (a quarter of a million monitor-only cases at 10M mentions) to show twenty.

Raw SQL with no model state, on purpose: Case.Meta is not this migration's to change. Moving the
index to Case.Meta.indexes later takes a SeparateDatabaseAndState with the same name.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS case_state_newest ON cases_case (state, id)", None
    )


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS case_state_newest", None)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY on PostgreSQL: cases keep moving meanwhile

    dependencies = [
        ("cases", "0004_claims"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
