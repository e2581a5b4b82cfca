"""A bank statement document as imported is a StatementImport, and movements and statements point
to it by ``statement_import``: in the code, "file" names a collection file only. The table and
its columns are renamed in place (no row is copied)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("payments", "0003_redundant_indexes"),
    ]

    operations = [
        migrations.RenameModel(old_name="BankStatementFile", new_name="StatementImport"),
        migrations.RenameField(
            model_name="bankstatement", old_name="source_file", new_name="statement_import"
        ),
        migrations.RenameField(
            model_name="bankmovementrecord", old_name="source_file", new_name="statement_import"
        ),
    ]
