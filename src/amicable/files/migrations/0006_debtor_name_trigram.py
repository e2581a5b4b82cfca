"""A trigram index for the back office's search by debtor name (any part, any case).

``name__icontains`` is ``UPPER(name) LIKE UPPER('%text%')`` on PostgreSQL: no B-tree serves a
pattern that starts with a wildcard, so among a million debtors every search read them all. A
GIN index of the trigrams of ``UPPER(name)`` (extension pg_trgm, shipped with PostgreSQL and
trusted since version 13) answers it. Built CONCURRENTLY, so the table stays writable; other
databases search without it.
"""

from django.db import migrations

INDEX = "debtor_name_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON files_debtor "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("files", "0005_redundant_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
