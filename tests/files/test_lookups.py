"""``field__any_of``: the same rows as ``field__in``, with the list sent as one parameter."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amicable.files.models import Claim, File, LedgerEntry
from tests.factories import make_file

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds_on_keys_relations_text_and_dates() -> None:
    files = [make_file() for _ in range(3)]
    wanted = [files[0].pk, files[2].pk]
    assert sorted(File.objects.filter(pk__any_of=wanted).values_list("pk", flat=True)) == wanted
    claims = Claim.objects.filter(file_id__any_of=wanted)
    assert sorted(c.file_id for c in claims) == sorted(
        Claim.objects.filter(file_id__in=wanted).values_list("file_id", flat=True)
    )
    references = [files[1].reference, "AM99999999"]
    assert list(File.objects.filter(reference__any_of=references)) == [files[1]]
    entries = LedgerEntry.objects.filter(value_date__any_of=[date(2025, 4, 1), date(1999, 1, 1)])
    assert entries.count() == LedgerEntry.objects.filter(value_date=date(2025, 4, 1)).count()
    assert not File.objects.filter(pk__any_of=[]).exists()


def test_any_of_sends_one_parameter_on_postgresql() -> None:
    ids = [make_file().pk for _ in range(2)] + list(range(10**8, 10**8 + 500))
    with CaptureQueriesContext(connection) as queries:
        assert File.objects.filter(pk__any_of=ids).count() == 2
    sql = queries.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        # The 502 ids travel as one array literal, not as 502 placeholders.
        assert "= ANY('{" in sql
        assert " IN (" not in sql
    else:
        assert " IN (" in sql
