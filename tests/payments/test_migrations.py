"""A bank statement document as imported is a StatementImport: renamed in place, rows kept."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amicable.payments.models import BankStatement, StatementImport

BEFORE = [("payments", "0003_redundant_indexes")]
AFTER = [("payments", "0004_statement_import")]


@pytest.mark.django_db(transaction=True)
def test_the_imported_statements_keep_their_rows_and_links() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    old_import = old_apps.get_model("payments", "BankStatementFile").objects.create(
        sha256="a" * 64, name="CODA-2025-05-02.cod", format="coda", size=1280, imported_by="ann"
    )
    old_statement = old_apps.get_model("payments", "BankStatement").objects.create(
        source_file=old_import,
        identity="BE68539007547034/2025/081",
        account="BE68539007547034",
        currency="EUR",
        number="081",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    imported = StatementImport.objects.get()
    assert (imported.pk, imported.name, imported.sha256) == (
        old_import.pk,
        "CODA-2025-05-02.cod",
        "a" * 64,
    )
    statement = BankStatement.objects.get()
    assert (statement.pk, statement.statement_import_id) == (old_statement.pk, imported.pk)
