"""``ledger.post_payments``: a batch posts exactly what the same payments posted one by one
would (docs/legal.md, section 6, imputation; CEL art. XIX.4, interest to the value date), in a
number of queries that does not grow with the batch."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from amicable.files import ledger
from amicable.files.ledger import LedgerError, PaymentOrder, Posting
from amicable.files.models import Allocation, Claim, EntryKind, Event, File, LedgerEntry
from tests.factories import claim_input, make_file
from tests.files.test_ledger import assert_invariants

pytestmark = pytest.mark.django_db

START = date(2025, 3, 20)  # the first chargeable day of the factory's claims


def _twin_files(count: int) -> list[File]:
    """Files with the same two claims (one bears contractual interest, one the legal rate)."""
    return [
        make_file(
            claims=[
                claim_input(principal=Decimal("150.00"), due_date=date(2025, 1, 10)),
                claim_input(
                    principal=Decimal("99.99"),
                    due_date=date(2025, 2, 10),
                    interest_rate=None,
                ),
            ]
        )
        for _ in range(count)
    ]


def _ledger_of(file: File) -> list[tuple[Any, ...]]:
    """The file's ledger and allocations, with claims by position and references relative, so
    that two files holding the same history compare equal."""
    ordered = file.claims.order_by("due_date").values_list("pk", flat=True)
    claim_position = {pk: n for n, pk in enumerate(ordered)}
    entries = list(LedgerEntry.objects.filter(file=file).order_by("id"))
    position = {entry.pk: n for n, entry in enumerate(entries)}
    rows: list[tuple[Any, ...]] = [
        (
            "entry",
            e.kind,
            e.component,
            claim_position.get(e.claim_id) if e.claim_id else None,
            e.amount,
            e.value_date,
            e.period_start,
            e.period_end,
            e.source_reference.rsplit("/", 1)[-1],
        )
        for e in entries
    ]
    rows += sorted(
        (
            "allocation",
            position[a.entry_id],
            claim_position[a.claim_id],
            a.component,
            a.amount,
            a.value_date,
        )
        for a in Allocation.objects.filter(file=file)
    )
    return rows


payments = st.lists(
    st.tuples(
        st.integers(0, 2),  # which file
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300"), places=2),
        st.integers(0, 90),  # value date, days after the first chargeable day
        st.booleans(),  # the debtor designates the second claim (old Civil Code art. 1253)
    ),
    min_size=1,
    max_size=10,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(orders=payments, booked=st.one_of(st.none(), st.integers(0, 60)))
# Interest booked through day 30 (the daily run's month end), then a payment dated before it and
# one after it on the same file: the later-dated one is posted first, the other takes back
# interest booked past its date.
@example(orders=[(0, Decimal("20.00"), 40, False), (0, Decimal("100.00"), 10, False)], booked=30)
# Two payments on one file whose first pays everything: the second is a credit.
@example(orders=[(1, Decimal("300.00"), 5, False), (1, Decimal("0.01"), 9, True)], booked=None)
def test_a_batch_posts_what_one_by_one_posts(
    orders: list[tuple[int, Decimal, int, bool]], booked: int | None
) -> None:
    batched, single = _twin_files(3), _twin_files(3)
    if booked is not None:
        for file in [*batched, *single]:
            ledger.book_interest(file=file, through=START + timedelta(days=booked), actor="t")

    def order(files: list[File], n: int, item: tuple[int, Decimal, int, bool]) -> PaymentOrder:
        which, amount, offset, designate = item
        file = files[which]
        second = file.claims.order_by("due_date").values_list("pk", flat=True)[1]
        return PaymentOrder(
            file_id=file.pk,
            amount=amount,
            value_date=START + timedelta(days=offset),
            source="statement",
            source_reference=f"{file.reference}/{n}",
            designated_claim_id=second if designate else None,
        )

    results = ledger.post_payments(
        [order(batched, n, item) for n, item in enumerate(orders)], actor="t"
    )
    assert all(isinstance(r, Posting) for r in results)
    for n, item in enumerate(orders):
        one = order(single, n, item)
        ledger.post_payment(
            file=File(pk=one.file_id),
            amount=one.amount,
            value_date=one.value_date,
            actor="t",
            source=one.source,
            source_reference=one.source_reference,
            designated_claim=file_claim(one.designated_claim_id),
        )
    for mine, theirs in zip(batched, single, strict=True):
        assert _ledger_of(mine) == _ledger_of(theirs)
        assert_invariants(mine)
        balance = ledger.file_balance(mine, as_of=date.max, with_accrued_interest=False)
        last = [r for r, o in zip(results, orders, strict=True) if batched[o[0]] == mine]
        if last:
            assert isinstance(last[-1], Posting)
            assert last[-1].booked_outstanding == balance.outstanding
    posted = Event.objects.filter(file__in=batched, kind="payment_posted").count()
    assert posted == len(orders)


def file_claim(claim_id: int | None) -> Claim | None:
    return Claim.objects.get(pk=claim_id) if claim_id else None


def _orders(files: list[File], count: int, prefix: str) -> list[PaymentOrder]:
    return [
        PaymentOrder(
            file_id=files[n % len(files)].pk,
            amount=Decimal("30.00"),
            # Each file's payments in date order: all take the batch path.
            value_date=START + timedelta(days=20 + n // len(files)),
            source="statement",
            source_reference=f"{prefix}-{n}",
        )
        for n in range(count)
    ]


def test_the_number_of_queries_does_not_grow_with_the_batch() -> None:
    files = _twin_files(30)
    with CaptureQueriesContext(connection) as small:
        ledger.post_payments(_orders(files[:5], 5, "small"), actor="t")
    with CaptureQueriesContext(connection) as large:
        results = ledger.post_payments(_orders(files[5:], 75, "large"), actor="t")
    assert all(isinstance(r, Posting) for r in results)
    # Lock, read claims, entries and allocations, check the references, write three tables:
    # the same count for 5 payments on 5 files as for 75 on 25 (SQLite may split an insert).
    if connection.vendor == "postgresql":
        assert len(large) == len(small)
    assert len(large) <= len(small) + 6
    assert LedgerEntry.objects.filter(source_reference__startswith="large-").count() == 75
    for file in files:
        assert_invariants(file)


def test_payments_dated_before_interest_booked_are_set_based_too_xix4() -> None:
    """The daily run books interest to the month's end; a statement imported after it pays
    with earlier value dates: each payment takes back the interest booked past its date, and
    the batch still costs the same few queries whatever its size."""
    files = _twin_files(30)
    for file in files:
        ledger.book_interest(file=file, through=START + timedelta(days=40), actor="run")

    def back_dated(chosen: list[File], prefix: str) -> list[PaymentOrder]:
        return [
            PaymentOrder(
                file.pk, Decimal("400.00"), START + timedelta(days=20), "statement", f"{prefix}-{n}"
            )
            for n, file in enumerate(chosen)
        ]

    with CaptureQueriesContext(connection) as small:
        ledger.post_payments(back_dated(files[:5], "small"), actor="t")
    with CaptureQueriesContext(connection) as large:
        results = ledger.post_payments(back_dated(files[5:], "large"), actor="t")

    assert len(large) <= len(small) + 6
    for file, result in zip(files[5:], results, strict=True):
        assert isinstance(result, Posting)
        taken_back = LedgerEntry.objects.filter(file=file, kind=EntryKind.RECALCULATION)
        # One per claim: both bear interest, and the payment paid both principals.
        assert sorted(e.claim_id for e in taken_back) == sorted(
            file.claims.values_list("pk", flat=True)
        )
        assert all(e.amount < 0 and e.value_date == START + timedelta(days=20) for e in taken_back)
        # 400.00 pays everything owed on the value date: the rest, with the interest taken
        # back, is a credit, and nothing stays open.
        balance = ledger.file_balance(file, as_of=date.max, with_accrued_interest=False)
        assert balance.outstanding == 0
        assert balance.credit == Decimal("400.00") - balance.allocated
        assert result.booked_outstanding == 0
        assert_invariants(file)


def test_an_order_that_cannot_be_posted_does_not_stop_the_others() -> None:
    (file,) = _twin_files(1)
    ledger.post_payment(
        file=file,
        amount=Decimal("10.00"),
        value_date=START,
        actor="t",
        source="statement",
        source_reference="already",
    )
    orders = [
        PaymentOrder(file.pk, Decimal("5.00"), START, "statement", "already"),
        PaymentOrder(file.pk, Decimal("6.00"), START, "statement", "new"),
        PaymentOrder(file.pk, Decimal("7.00"), START, "statement", "new"),
        PaymentOrder(10**9, Decimal("8.00"), START, "statement", "nowhere"),
    ]
    results = ledger.post_payments(orders, actor="t")
    assert [type(r) for r in results] == [LedgerError, Posting, LedgerError, LedgerError]
    assert "already posted" in str(results[0])
    assert "already posted" in str(results[2])
    assert LedgerEntry.objects.filter(file=file, kind=EntryKind.PAYMENT).count() == 2
    assert_invariants(file)


def test_a_mistaken_order_refuses_the_whole_batch() -> None:
    (file,) = _twin_files(1)
    orders = [
        PaymentOrder(file.pk, Decimal("5.00"), START, "statement", "fine"),
        PaymentOrder(file.pk, Decimal("0.00"), START, "statement", "zero"),
    ]
    with pytest.raises(LedgerError):
        ledger.post_payments(orders, actor="t")
    assert not LedgerEntry.objects.filter(file=file, kind=EntryKind.PAYMENT).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two database connections to race"
)
def test_two_batches_on_the_same_files_in_opposite_orders_neither_deadlock_nor_lose() -> None:
    files = _twin_files(8)
    errors: list[BaseException] = []

    def post(prefix: str, ordered: list[File]) -> None:
        try:
            for round_ in range(3):
                ledger.post_payments(
                    _orders(ordered, len(ordered), f"{prefix}{round_}"), actor=prefix
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=("a", files)),
        threading.Thread(target=post, args=("b", files[::-1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, file__in=files).count() == 48
    for file in files:
        assert_invariants(file)
