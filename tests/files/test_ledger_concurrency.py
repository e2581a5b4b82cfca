"""Concurrent postings on PostgreSQL neither lose nor double an entry
(docs/architecture.md, invariant 1).

Row locks between two real connections are what this tests, so it runs where there are
connections to race: on PostgreSQL (CI runs the whole suite there too).
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, connections

from amicable.files import ledger
from amicable.files.models import Allocation, EntryKind, File, LedgerEntry
from tests.factories import make_file

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs two database connections to race"
    ),
]


def _post_many(file_id: int, prefix: str, count: int, errors: list[BaseException]) -> None:
    try:
        file = File.objects.get(pk=file_id)
        for i in range(count):
            ledger.post_payment(
                file=file,
                amount=Decimal("1.00"),
                value_date=date(2025, 3, 10),
                actor=prefix,
                source="statement",
                source_reference=f"{prefix}-{i}",
            )
    except BaseException as error:
        errors.append(error)
    finally:
        connections.close_all()


def test_two_threads_posting_on_one_file_lose_nothing() -> None:
    file = make_file()
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_post_many, args=(file.pk, name, 20, errors)) for name in "ab"
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert LedgerEntry.objects.filter(file=file, kind=EntryKind.PAYMENT).count() == 40
    allocated = sum(a.amount for a in Allocation.objects.filter(file=file))
    assert allocated == Decimal("40.00")
    balance = ledger.file_balance(file, as_of=date(2025, 3, 10))
    assert balance.principal == Decimal("160.00")
    assert balance.ledger_sum == balance.outstanding - balance.credit


def _post_same(file_id: int, outcomes: list[str], barrier: threading.Barrier) -> None:
    try:
        file = File.objects.get(pk=file_id)
        barrier.wait()
        ledger.post_payment(
            file=file,
            amount=Decimal("5.00"),
            value_date=date(2025, 3, 10),
            actor="race",
            source="statement",
            source_reference="same-movement",
        )
        outcomes.append("posted")
    except (ledger.LedgerError, IntegrityError):
        outcomes.append("refused")
    finally:
        connections.close_all()


def test_the_same_movement_posted_twice_at_once_is_booked_once() -> None:
    file = make_file()
    outcomes: list[str] = []
    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(target=_post_same, args=(file.pk, outcomes, barrier)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["posted", "refused"]
    assert LedgerEntry.objects.filter(source_reference="same-movement").count() == 1
