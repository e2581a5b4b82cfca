"""Erasure of personal data at the end of its retention period (docs/legal.md, section 7).

- ``Debtor.erased_on``, ``File.erased_on``: the day their personal data was erased;
- ``Document.erased_at``: when its content was deleted from storage (the row stays);
- ``file_retention_idx``: the closed files not yet erased, by closing day, which the daily
  retention run looks up. Built CONCURRENTLY on PostgreSQL, so a table of a million files stays
  writable meanwhile (which is why the migration is not atomic); the new columns are nullable
  without a default, which PostgreSQL adds without rewriting the table.
"""

from django.db import migrations, models


class AddIndexConcurrently(migrations.AddIndex):
    """``AddIndex``, built without locking writes out on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(model, self.index, concurrently=True)
        else:
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(model, self.index, concurrently=True)
        else:
            schema_editor.remove_index(model, self.index)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("files", "0008_creditor_capacity_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="debtor",
            name="erased_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="document",
            name="erased_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="file",
            name="erased_on",
            field=models.DateField(blank=True, null=True),
        ),
        AddIndexConcurrently(
            model_name="file",
            index=models.Index(
                condition=models.Q(("erased_on__isnull", True), ("state__in", ["paid", "closed"])),
                fields=["state", "closed_on"],
                name="file_retention_idx",
            ),
        ),
    ]
