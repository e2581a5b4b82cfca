"""Indexes for the back office's search at scale: e-mail (any case), the creditor's file
reference and the invoice number, each looked up without the creditor or the file.

On PostgreSQL they are built CONCURRENTLY, so that a table of a million files stays writable
while they build (which is why the migration is not atomic); elsewhere as usual.
"""

from django.db import migrations, models
from django.db.models.functions import Lower


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
        ("files", "0003_file_number_sequence"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="claim",
            index=models.Index(fields=["creditor_reference"], name="claim_creditor_reference_idx"),
        ),
        AddIndexConcurrently(
            model_name="debtor",
            index=models.Index(Lower("email"), name="debtor_email_lower_idx"),
        ),
        AddIndexConcurrently(
            model_name="file",
            index=models.Index(fields=["creditor_reference"], name="file_creditor_reference_idx"),
        ),
    ]
