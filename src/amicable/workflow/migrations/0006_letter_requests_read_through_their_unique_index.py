"""The letter requests' indexes on their file, and on their file and kind, dropped: the unique
constraint on (file, kind, cycle, step) serves both, and each letter the daily run queues
wrote three entries where one does (docs/decisions.md, 51). On PostgreSQL dropped CONCURRENTLY,
the foreign key left as it is (as ``files.0019``); elsewhere by Django's operations.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

ConcurrentlyOnPostgreSQL = import_module(
    "amicable.files.migrations.0019_indexes_no_query_reads"
).ConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("files", "0019_indexes_no_query_reads"),
        ("workflow", "0005_field_names_in_the_staff_members_words"),
    ]

    operations = [
        ConcurrentlyOnPostgreSQL(
            [
                migrations.RemoveIndex(
                    model_name="letterrequest",
                    name="letter_request_file_idx",
                ),
                migrations.AlterField(
                    model_name="letterrequest",
                    name="file",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="letter_requests",
                        to="files.file",
                        verbose_name="file",
                    ),
                ),
            ],
            forwards=[
                "DROP INDEX CONCURRENTLY IF EXISTS letter_request_file_idx",
                "DROP INDEX CONCURRENTLY IF EXISTS workflow_letterrequest_file_id_5a6e62cb",
            ],
            backwards=[
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS workflow_letterrequest_file_id_5a6e62cb"
                " ON workflow_letterrequest (file_id)",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS letter_request_file_idx"
                " ON workflow_letterrequest (file_id, kind)",
            ],
        ),
    ]
