"""The back office's search reaches a million files through indexes, not by reading them all.

PostgreSQL is asked how it runs each search query (EXPLAIN). Sequential scans are discouraged
(``SET LOCAL enable_seqscan = off``) so that the answer does not depend on the size of the test
tables, where reading a few rows is cheaper than any index: what remains proves that an index
holding the query's expression exists.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import QuerySet

from amicable.backoffice.search import search_files, search_queries
from amicable.files.models import File
from tests.factories import claim_input, make_creditor, make_file

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL"),
]


@pytest.fixture
def wanted(db: None) -> File:
    creditor = make_creditor()
    for n in range(3):
        make_file(creditor=creditor, today=date(2025, 6, 1), email=f"other{n}@example.be")
    return make_file(
        creditor=creditor,
        today=date(2025, 6, 1),
        email="JP.Vandenbossche@example.be",
        claims=[claim_input(creditor_reference="INV-2025-0042")],
    )


def plan_of(query: str, matched_on: str) -> str:
    files: QuerySet[File] = dict(search_queries(query))[matched_on]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return files.explain()


def test_an_e_mail_in_any_case_is_found_through_the_lower_email_index(wanted: File) -> None:
    query = "jp.VANDENBOSSCHE@example.be"
    assert [(hit.file, hit.matched_on) for hit in search_files(query)] == [(wanted, "e-mail")]
    plan = plan_of(query, "e-mail")
    assert "debtor_email_lower_idx" in plan, plan


def test_the_creditors_file_reference_is_found_through_its_index(wanted: File) -> None:
    plan = plan_of(wanted.creditor_reference, "creditor reference")
    assert "file_creditor_reference_idx" in plan, plan


def test_an_invoice_number_is_found_through_its_index(wanted: File) -> None:
    assert [hit.file for hit in search_files("INV-2025-0042")] == [wanted]
    plan = plan_of("INV-2025-0042", "invoice reference")
    assert "claim_creditor_reference_idx" in plan, plan


def test_a_part_of_a_debtors_name_is_found_through_the_trigram_index(wanted: File) -> None:
    wanted.debtor.name = "Jean-Pierre Vandenbossche"
    wanted.debtor.save(update_fields=["name"])
    assert [hit.file for hit in search_files("vandenbos")] == [wanted]
    # A GIN index is read by a bitmap scan; with plain index scans off too, the planner cannot
    # walk the whole primary key instead, which it may prefer on the small test tables.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = plan_of("vandenbos", "debtor name")
    assert "debtor_name_trgm_idx" in plan, plan
