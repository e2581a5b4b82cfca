"""Each index of the tables every daily run writes is read by a query, and those queries reach it.

A state change rewrites a file's row and adds an entry to every index of the files table; each
ledger entry and letter request adds one to every index of theirs (docs/decisions.md, 51). The
indexes that no query read are gone; these tests hold the queries that took their place to
the indexes they read (EXPLAIN, sequential scans discouraged as in
``tests/backoffice/test_search_indexes.py``) and keep the dropped ones from coming back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.models import QuerySet

from amicable.files import ledger
from amicable.files.models import EntrySource, File, LedgerEntry
from amicable.files.selectors import list_files_for_creditor
from amicable.workflow.models import LetterRequest
from tests.factories import make_creditor, make_file

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL"),
]


def plan_of(rows: QuerySet[LedgerEntry] | QuerySet[File] | QuerySet[LetterRequest]) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return rows.explain()


def indexes_of(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def test_a_statements_payments_are_looked_up_through_the_posted_once_index() -> None:
    # Thousands of references, as in a statement: too many for the database to see that none
    # is empty, so the lookup states it.
    references = [f"CODA-2025-{n:06d}" for n in range(2000)]
    plan = plan_of(ledger.posted_payments(EntrySource.STATEMENT, references))
    assert "ledger_payment_posted_once" in plan, plan


def test_a_creditors_payment_is_looked_up_through_the_posted_once_index() -> None:
    plan = plan_of(ledger.posted_payments(EntrySource.API, ["creditor-7:PAY-2025-0042"]))
    assert "ledger_payment_posted_once" in plan, plan


def test_no_index_of_source_holds_every_ledger_entry() -> None:
    assert "ledger_source_idx" not in indexes_of("files_ledgerentry")
    assert [
        name
        for name, definition in indexes_of("files_ledgerentry").items()
        if "(source, source_reference)" in definition and " WHERE " not in definition
    ] == []


def test_the_files_table_has_no_index_that_another_one_serves() -> None:
    definitions = indexes_of("files_file")
    # The "LIKE" indexes PostgreSQL adds for a unique text column: nothing searches by prefix.
    assert [name for name in definitions if name.endswith("_like")] == []
    single_columns = {
        definition.rsplit("(", 1)[1].rstrip(")")
        for definition in definitions.values()
        if definition.count(",") == 0 and " WHERE " not in definition
    }
    assert "creditor_id" not in single_columns
    assert "updated_at" not in single_columns


@pytest.fixture
def wanted(db: None) -> File:
    creditor = make_creditor()
    for _ in range(3):
        make_file(creditor=creditor, today=date(2025, 6, 1))
    return make_file(creditor=creditor, today=date(2025, 6, 1))


def test_a_file_is_found_by_its_reference_and_structured_communication(wanted: File) -> None:
    assert File.objects.get(reference=wanted.reference) == wanted
    assert "file_unique_reference" in plan_of(File.objects.filter(reference=wanted.reference))
    rows = File.objects.filter(structured_communication=wanted.structured_communication)
    assert "file_unique_structured_communication" in plan_of(rows)


def test_a_creditors_files_changed_since_a_moment_are_read_by_creditor(wanted: File) -> None:
    since = datetime(2025, 1, 1, tzinfo=UTC)
    assert wanted in list_files_for_creditor(
        creditor=wanted.creditor, limit=10, updated_since=since
    )
    rows = File.objects.filter(creditor=wanted.creditor, updated_at__gte=since)
    # An index that starts with the creditor (on these few rows the planner may take the
    # unique constraint's as readily as the one on creditor and update time).
    plan = plan_of(rows)
    condition = next(line for line in plan.splitlines() if "Index Cond:" in line)
    assert condition.split("Index Cond:")[1].lstrip(" (").startswith("creditor_id = "), plan


def test_a_files_letters_are_read_through_the_letter_once_constraint(wanted: File) -> None:
    assert "letter_request_once" in plan_of(LetterRequest.objects.filter(file=wanted))
    rows = LetterRequest.objects.filter(file=wanted, kind="formal_notice")
    assert "letter_request_once" in plan_of(rows)
    assert set(indexes_of("workflow_letterrequest")) == {
        "workflow_letterrequest_pkey",
        "letter_request_once",
        "letter_request_due_idx",
        "workflow_letterrequest_run_id_e12c1160",
    }
