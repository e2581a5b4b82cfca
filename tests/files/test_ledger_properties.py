"""Hypothesis: any sequence of payments, charges, reductions and returns keeps invariant 1."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from amicable.domain.imputation import Component
from amicable.files import ledger
from amicable.files.models import EntryKind, File, LedgerEntry
from tests.factories import claim_input, make_file
from tests.files.test_ledger import assert_invariants

pytestmark = pytest.mark.django_db

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400"), places=2)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), amounts, st.integers(0, 60)),
        st.tuples(st.just("interest"), st.just(Decimal(0)), st.integers(0, 60)),
        st.tuples(st.just("indemnity"), st.just(Decimal(0)), st.integers(0, 60)),
        st.tuples(st.just("reduce"), amounts, st.integers(0, 60)),
        st.tuples(st.just("return"), st.just(Decimal(0)), st.integers(0, 60)),
    ),
    min_size=1,
    max_size=8,
)


def _credit(file: File) -> Decimal:
    return ledger.file_balance(file, as_of=date.max, with_accrued_interest=False).credit


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
# A payment dated before interest booked in two pieces: taking back the interest on what it paid
# must not take back more than those truncated bookings held.
@example(
    steps=[("interest", Decimal(0), 0), ("interest", Decimal(0), 10), ("pay", Decimal("149.90"), 0)]
)
# A payment, its return the next day, then a second payment dated the first day: on that day
# the principal looks overpaid by a cent, and the indemnity must see nothing owed, not -0.01.
@example(
    steps=[
        ("pay", Decimal("75.01"), 0),
        ("return", Decimal(0), 1),
        ("pay", Decimal("75.00"), 0),
        ("indemnity", Decimal(0), 0),
    ]
)
# Two payments, then the first claim cancelled from before them: their share of it goes to the
# second claim's principal, as of their day, so its interest booked through then is a cent too
# much; booking interest takes that cent back, and what was paid on it is applied again, never
# left paid above the charge (outstanding interest -0.01 before).
@example(
    steps=[
        ("pay", Decimal("0.03"), 16),
        ("pay", Decimal("3.29"), 15),
        ("reduce", Decimal("150.00"), 0),
        ("interest", Decimal(0), 0),
    ]
)
# Interest booked, a payment, then one dated earlier: the interest the first had paid is
# recounted on less principal and released; what nothing needs is credit the second leaves.
@example(
    steps=[
        ("interest", Decimal(0), 40),
        ("pay", Decimal("100.00"), 42),
        ("pay", Decimal("240.00"), 5),
        ("return", Decimal(0), 50),
        ("pay", Decimal("20.00"), 3),
    ]
)
def test_ledger_invariants_hold_for_any_sequence(steps: list[tuple[str, Decimal, int]]) -> None:
    file = make_file(
        claims=[
            claim_input(principal=Decimal("150.00"), due_date=date(2025, 1, 10)),
            claim_input(principal=Decimal("99.99"), due_date=date(2025, 2, 10)),
        ]
    )
    claims = list(file.claims.order_by("due_date"))
    start = date(2025, 3, 20)
    for number, (action, amount, offset) in enumerate(steps):
        day = start + timedelta(days=offset)
        if action == "pay":
            credit_before = _credit(file)
            posting = ledger.post_payment(
                file=file,
                amount=amount,
                value_date=day,
                actor="t",
                source="statement",
                source_reference=f"{file.reference}-{number}",
            )
            # Its figures add up: the shares and the overpayment are the payment, and what it
            # leaves to refund (with any credit it released) is the credit the file gained.
            assert sum((s.amount for s in posting.shares), posting.overpayment) == amount
            assert posting.overpayment >= 0
            assert posting.credit_released >= 0
            assert _credit(file) - credit_before == posting.credit_left
        elif action == "interest":
            ledger.book_interest(file=file, through=day, actor="t")
        elif action == "indemnity":
            # Already charged, or the law allows nothing on this balance: both are fine here.
            with contextlib.suppress(ledger.LedgerError, ledger.ChargeRefused):
                ledger.charge_indemnity(claim=claims[0], on=day, actor="t")
        elif action == "reduce":
            charged = ledger.file_balance(file, as_of=date.max, with_accrued_interest=False)
            available = charged.claims[0].charged[Component.PRINCIPAL]
            if available > 0:
                ledger.reduce_charge(
                    claim=claims[0],
                    component=Component.PRINCIPAL,
                    amount=min(amount, available),
                    on=day,
                    actor="t",
                    reason="test",
                )
        elif action == "return":
            payment = (
                LedgerEntry.objects.filter(file=file, kind=EntryKind.PAYMENT, reversed_by=None)
                .order_by("id")
                .first()
            )
            if payment is not None:
                ledger.reverse_payment(entry=payment, on=day, actor="t", reason="returned")
        assert_invariants(file)
