"""Four indexes of the files table that no query reads (docs/decisions.md, 51): each state
change of a file rewrites its row and, the state being indexed, adds an entry to every index of
the table. The creditor's own index (the unique constraint on creditor and reference, and the
index on creditor and update time, start with it), the update time's own (read by creditor
only), and the two "LIKE" indexes PostgreSQL builds beside a ``unique=True`` text column (the
reference and the structured communication are only ever looked up whole: unique constraints
now). A daily run changing the state of 16,000 files costs the database about a third less.

On PostgreSQL the change is made without rebuilding or re-checking anything, and without
holding the table: the two unique constraints are renamed (their indexes with them), the four
indexes dropped CONCURRENTLY (which is why the migration is not atomic). Django's own
operations would drop and add again the creditor's foreign key, checking every file under a
lock that stops reads too. Elsewhere (SQLite) Django's operations do it.
"""

from collections.abc import Sequence
from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState


class ConcurrentlyOnPostgreSQL(migrations.SeparateDatabaseAndState):
    """``operations`` as they are, except on PostgreSQL, where the statements ``forwards``
    (``backwards`` to undo them) do the same to the database, each on its own (outside a
    transaction: the migration using it is not atomic)."""

    def __init__(
        self,
        operations: Sequence[migrations.operations.base.Operation],
        *,
        forwards: Sequence[str],
        backwards: Sequence[str],
    ) -> None:
        super().__init__(database_operations=list(operations), state_operations=list(operations))
        self.forwards, self.backwards = list(forwards), list(backwards)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [self.state_operations],
            {"forwards": self.forwards, "backwards": self.backwards},
        )

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if not self._on_postgresql(schema_editor, self.forwards):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if not self._on_postgresql(schema_editor, self.backwards):
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    @staticmethod
    def _on_postgresql(schema_editor: BaseDatabaseSchemaEditor, statements: Sequence[str]) -> bool:
        """Run ``statements`` if the database is PostgreSQL; whether it was."""
        if schema_editor.connection.vendor != "postgresql":
            return False
        for statement in statements:
            schema_editor.execute(statement)
        return True


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("files", "0018_room_on_claim_pages"),
    ]

    operations = [
        ConcurrentlyOnPostgreSQL(
            [
                migrations.AlterField(
                    model_name="file",
                    name="creditor",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="files",
                        to="files.creditor",
                        verbose_name="creditor",
                    ),
                ),
                migrations.AlterField(
                    model_name="file",
                    name="reference",
                    field=models.CharField(max_length=16, verbose_name="reference"),
                ),
                migrations.AlterField(
                    model_name="file",
                    name="structured_communication",
                    field=models.CharField(max_length=12, verbose_name="structured communication"),
                ),
                migrations.AlterField(
                    model_name="file",
                    name="updated_at",
                    field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
                ),
                migrations.AddConstraint(
                    model_name="file",
                    constraint=models.UniqueConstraint(
                        fields=("reference",), name="file_unique_reference"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="file",
                    constraint=models.UniqueConstraint(
                        fields=("structured_communication",),
                        name="file_unique_structured_communication",
                    ),
                ),
            ],
            forwards=[
                "ALTER TABLE files_file RENAME CONSTRAINT files_file_reference_key"
                " TO file_unique_reference",
                "ALTER TABLE files_file RENAME CONSTRAINT files_file_structured_communication_key"
                " TO file_unique_structured_communication",
                "DROP INDEX CONCURRENTLY IF EXISTS files_file_reference_4f30a391_like",
                "DROP INDEX CONCURRENTLY IF EXISTS files_file_structured_communication_e99d7389_like",
                "DROP INDEX CONCURRENTLY IF EXISTS files_file_creditor_id_71c08b33",
                "DROP INDEX CONCURRENTLY IF EXISTS files_file_updated_at_becc640f",
            ],
            backwards=[
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS files_file_updated_at_becc640f"
                " ON files_file (updated_at)",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS files_file_creditor_id_71c08b33"
                " ON files_file (creditor_id)",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS"
                " files_file_structured_communication_e99d7389_like"
                " ON files_file (structured_communication varchar_pattern_ops)",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS files_file_reference_4f30a391_like"
                " ON files_file (reference varchar_pattern_ops)",
                "ALTER TABLE files_file RENAME CONSTRAINT file_unique_structured_communication"
                " TO files_file_structured_communication_key",
                "ALTER TABLE files_file RENAME CONSTRAINT file_unique_reference"
                " TO files_file_reference_key",
            ],
        ),
    ]
