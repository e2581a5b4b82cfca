"""One index per file's history: the (file, id) index of each chain serves every query on a
file's entries, allocations and events; the (file, day), (file, claim) and (file, moment)
indexes beside it only cost every insert (docs/decisions.md, 46).

On PostgreSQL they are dropped CONCURRENTLY, so that the books of a million files stay
readable and writable meanwhile (which is why the migration is not atomic); elsewhere as usual.
"""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState


class RemoveIndexConcurrently(migrations.RemoveIndex):
    """``RemoveIndex``, without locking the table on PostgreSQL."""

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._change(app_label, schema_editor, from_state, add=False)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._change(app_label, schema_editor, to_state, add=True)

    def _change(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        state: ProjectState,
        *,
        add: bool,
    ) -> None:
        """Drop the index (or build it again, backwards) as ``state`` knows it."""
        model = state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        index = state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
        change: Any = schema_editor.add_index if add else schema_editor.remove_index
        if schema_editor.connection.vendor == "postgresql":
            change(model, index, concurrently=True)
        else:
            change(model, index)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("files", "0016_field_names_in_the_staff_members_words"),
    ]

    operations = [
        RemoveIndexConcurrently(model_name="allocation", name="allocation_file_idx"),
        RemoveIndexConcurrently(model_name="event", name="event_file_at_idx"),
        RemoveIndexConcurrently(model_name="ledgerentry", name="ledger_file_date_idx"),
    ]
