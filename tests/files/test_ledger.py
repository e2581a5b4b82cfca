"""The ledger service: charges through the law, payments through the imputation, balances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from amicable.domain.imputation import Component
from amicable.domain.law import ChargeRefused, RefusalReason
from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.ledger import charges
from amicable.files.ledger.books import PAYMENT_KINDS, file_terms, read_books
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Allocation, EntryKind, Event, File, LedgerEntry
from amicable.files.rates import rate_table
from tests.factories import claim_input, make_file

pytestmark = pytest.mark.django_db

# paper reminder sent Mon 2025-03-03 (docs/legal.md, section 1)
FIRST_CHARGEABLE = date(2025, 3, 20)


def assert_invariants(file: File, *, as_of: date = date(2030, 1, 1)) -> None:
    """Invariant 1: the booked balance is the ledger sum, and no component is negative."""
    balance = ledger.file_balance(file, as_of=as_of, with_accrued_interest=False)
    assert balance.ledger_sum == balance.outstanding - balance.credit
    for claim in balance.claims:
        for component in Component:
            assert claim.charged[component] >= 0
            assert claim.outstanding(component) >= 0, (component, claim)
    assert balance.credit >= 0
    # What the daily run asks of every file, kept as the books are read: their sums.
    book = read_books([file_terms(file)])[file.pk]
    assert book.booked_outstanding == sum(
        (sum(book.charged[c.pk].values()) - sum(book.paid[c.pk].values()) for c in book.claims),
        Decimal("0.00"),
    )
    # Returned money was never paid: a payment the bank returned and its reversal pay nothing
    # together, whatever was released and applied again since.
    returned: dict[tuple[int, int, str], Decimal] = {}
    for entry_id, reverses_id, claim_id, component, amount in Allocation.objects.filter(
        file=file, entry__kind__in=[*PAYMENT_KINDS, EntryKind.REVERSAL]
    ).values_list("entry_id", "entry__reverses_id", "claim_id", "component", "amount"):
        key = (reverses_id or entry_id, claim_id, component)
        returned[key] = returned.get(key, Decimal("0.00")) + amount
    for paid_with in LedgerEntry.objects.filter(
        file=file, kind=EntryKind.REVERSAL, reverses__kind__in=PAYMENT_KINDS
    ).values_list("reverses_id", flat=True):
        assert not any(v for (e, _c, _p), v in returned.items() if e == paid_with), paid_with
    # The credit a posting reports is the book's, kept as the payments are imputed.
    assert (
        book.credit == ledger.file_balance(file, as_of=date.max, with_accrued_interest=False).credit
    )
    # Each day bears interest on the principal due that day (CEL art. XIX.4): whatever moved
    # the principal of a day already booked (a payment dated back, a return, a cancellation and
    # the payments it applied again elsewhere), no claim holds more interest than it owes
    # through the day it is booked to.
    rates = rate_table()
    for claim in book.claims:
        through = book.booked_through[claim.pk]
        if through is not None:
            holds = book.charged[claim.pk][Component.INTEREST]
            # What was waived is taken from both sides; once the principal is written off too,
            # nothing is due and the waiver leaves "owed" below zero: the claim must hold none.
            owed = max(book.interest_owed(claim, through=through, rates=rates), Decimal("0.00"))
            assert holds <= owed, claim.pk


def test_intake_computes_grace_period_and_decisions_xix2_xix4() -> None:
    file = make_file()
    claim = file.claims.get()
    assert file.file_state is FileState.FORMAL_NOTICE
    assert claim.grace_last_day == date(2025, 3, 19)
    assert claim.first_chargeable_day == FIRST_CHARGEABLE
    # 10 % of 200 with a minimum of 25 gives 25, under the cap of 35 (XIX.4).
    assert claim.allowed_indemnity == Decimal("25.00")
    assert claim.interest_applies is True
    assert claim.applied_interest_rate == Decimal("8.000")
    assert ledger.file_balance(file, as_of=date(2025, 2, 20)).principal == Decimal("200.00")


def test_indemnity_refused_during_grace_period_xix2() -> None:
    file = make_file(today=date(2025, 3, 10))
    claim = file.claims.get()
    assert file.file_state is FileState.GRACE_PERIOD
    change_file_state(file=file, new_state=FileState.FORMAL_NOTICE, actor="test")
    with pytest.raises(ChargeRefused) as refused:
        ledger.charge_indemnity(claim=claim, on=date(2025, 3, 19), actor="test")
    assert refused.value.refusal.reason is RefusalReason.GRACE_PERIOD_RUNNING
    assert LedgerEntry.objects.filter(file=file).count() == 1  # the principal only


def test_indemnity_charged_once_after_grace_period_xix4() -> None:
    file = make_file()
    claim = file.claims.get()
    entry = ledger.charge_indemnity(claim=claim, on=FIRST_CHARGEABLE, actor="test")
    assert entry.amount == Decimal("25.00")
    assert Event.objects.filter(file=file, kind="indemnity_charged").count() == 1
    with pytest.raises(ledger.LedgerError):
        ledger.charge_indemnity(claim=claim, on=date(2025, 4, 1), actor="test")
    assert_invariants(file)


def test_a_file_whose_claims_all_have_their_indemnity_is_not_weighed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The daily run asks every file at its formal notice for its indemnities: once each claim
    carries one, nothing is decided (the decisions of every claim cost more than the rest of
    the file's day) and nothing is written."""
    file = make_file()
    ledger.charge_indemnity(claim=file.claims.get(), on=FIRST_CHARGEABLE, actor="test")
    book = ledger.read_books([ledger.file_terms(file)])[file.pk]
    decided: list[object] = []
    monkeypatch.setattr(charges, "decide_file_indemnities", lambda *a, **k: decided.append(a))
    writes = ledger.LedgerWrites()
    results = ledger.charge_indemnities(
        book, writes, on=date(2025, 4, 1), actor="t", source="daily_run", record_refusals=True
    )
    assert results == []
    assert decided == []
    assert writes.entries == []
    assert writes.events == []


def test_a_claim_without_its_indemnity_is_charged_beside_one_that_has_it_xix4() -> None:
    """The shortcut above is for a file with nothing left to charge: a file with one claim
    charged and one not is still decided whole, and the second gets its indemnity (10 % of
    300.00 = 30.00, within the caps on the claim and on the file's balance)."""
    file = make_file(
        claims=[
            claim_input(principal=Decimal("200.00"), due_date=date(2025, 2, 10)),
            claim_input(principal=Decimal("300.00"), due_date=date(2025, 2, 14)),
        ]
    )
    first, second = file.claims.order_by("due_date")
    ledger.charge_indemnity(claim=first, on=FIRST_CHARGEABLE, actor="test")
    book = ledger.read_books([ledger.file_terms(file)])[file.pk]
    writes = ledger.LedgerWrites()
    (charged,) = ledger.charge_indemnities(
        book, writes, on=date(2025, 4, 1), actor="t", source="daily_run", record_refusals=True
    )
    writes.flush()
    assert charged.claim_id == second.pk
    assert charged.amount == Decimal("30.00")
    assert LedgerEntry.objects.filter(claim=second, component="indemnity").get().amount == (
        Decimal("30.00")
    )
    assert_invariants(file)


def test_indemnity_above_cap_refused_xix4() -> None:
    file = make_file()
    with pytest.raises(ChargeRefused) as refused:
        ledger.charge_indemnity(
            claim=file.claims.get(), on=FIRST_CHARGEABLE, actor="t", amount=Decimal("40.00")
        )
    assert refused.value.refusal.reason is RefusalReason.ABOVE_CAP
    assert not LedgerEntry.objects.filter(component=Component.INDEMNITY).exists()


def test_indemnity_without_clause_refused_xix4() -> None:
    file = make_file(claims=[claim_input(indemnity_percent=None, indemnity_minimum=None)])
    with pytest.raises(ChargeRefused) as refused:
        ledger.charge_indemnity(claim=file.claims.get(), on=FIRST_CHARGEABLE, actor="t")
    assert refused.value.refusal.reason is RefusalReason.NO_CONTRACT_CLAUSE


@pytest.mark.parametrize(
    "state",
    [FileState.DISPUTED, FileState.SUSPENDED, FileState.DEBT_MEDIATION],
    ids=["disputed", "suspended", "debt_mediation"],
)
def test_no_charge_on_a_suspended_file_xix7(state: FileState) -> None:
    file = make_file()
    change_file_state(file=file, new_state=state, actor="test")
    claim = file.claims.get()
    before = LedgerEntry.objects.count()
    with pytest.raises(ChargeRefused) as refused:
        ledger.charge_indemnity(claim=claim, on=date(2025, 4, 2), actor="t")
    assert refused.value.refusal.reason is RefusalReason.FILE_SUSPENDED
    with pytest.raises(ChargeRefused):
        ledger.book_interest(file=file, through=date(2025, 4, 30), actor="t")
    assert LedgerEntry.objects.count() == before


def test_interest_booked_on_outstanding_principal_xix4() -> None:
    file = make_file()
    entries = ledger.book_interest(file=file, through=date(2025, 3, 31), actor="t")
    # 200.00 x 8 % x 12 days / 365 = 0.5260... -> 0.52 (truncated to the cent)
    assert [(e.amount, e.period_start, e.period_end) for e in entries] == [
        (Decimal("0.52"), FIRST_CHARGEABLE, date(2025, 3, 31))
    ]
    again = ledger.book_interest(file=file, through=date(2025, 3, 31), actor="t")
    assert again == []
    balance = ledger.file_balance(file, as_of=date(2025, 4, 10))
    # Owed to 10 April: 200 x 8 % x 22 / 365 = 0.9643 -> 0.96, truncated once over the whole
    # period (never per booking); 0.52 is booked, so 0.44 is owed and not booked yet.
    assert balance.interest_booked == Decimal("0.52")
    assert balance.interest_accrued == Decimal("0.44")
    assert balance.outstanding == Decimal("200.96")


def test_payment_books_interest_then_imputes_interest_first_civil_code_1254() -> None:
    file = make_file()
    claim = file.claims.get()
    ledger.charge_indemnity(claim=claim, on=FIRST_CHARGEABLE, actor="t")
    posting = ledger.post_payment(
        file=file,
        amount=Decimal("100.00"),
        value_date=date(2025, 4, 10),
        actor="bank",
        source="statement",
        source_reference="mv-1",
    )
    # Interest 2025-03-20..2025-04-09: 200 x 8 % x 21 / 365 = 0.9205 -> 0.92
    assert [e.amount for e in posting.interest_entries] == [Decimal("0.92")]
    split = {(a.component, a.amount) for a in posting.shares}
    assert split == {
        (Component.INTEREST, Decimal("0.92")),
        (Component.INDEMNITY, Decimal("25.00")),
        (Component.PRINCIPAL, Decimal("74.08")),
    }
    assert posting.overpayment == Decimal("0.00")
    balance = ledger.file_balance(file, as_of=date(2025, 4, 10))
    assert balance.principal == Decimal("125.92")
    assert balance.paid == Decimal("100.00")
    assert_invariants(file)


def test_overpayment_is_a_credit_to_refund() -> None:
    file = make_file()
    posting = ledger.post_payment(
        file=file,
        amount=Decimal("250.00"),
        value_date=FIRST_CHARGEABLE,
        actor="bank",
        source="statement",
        source_reference="mv-2",
    )
    assert posting.overpayment == Decimal("50.00")
    balance = ledger.file_balance(file, as_of=FIRST_CHARGEABLE)
    assert balance.outstanding == Decimal("0.00")
    assert balance.credit == Decimal("50.00")
    ledger.refund_credit(
        file=file, amount=Decimal("50.00"), on=date(2025, 3, 25), actor="agent", reason="overpaid"
    )
    assert ledger.file_balance(file, as_of=date(2025, 3, 25)).credit == Decimal("0.00")
    with pytest.raises(ledger.LedgerError):
        ledger.refund_credit(
            file=file, amount=Decimal("0.01"), on=date(2025, 3, 26), actor="a", reason="x"
        )
    assert_invariants(file)


def test_same_movement_is_posted_once() -> None:
    file = make_file()
    kwargs = {
        "file": file,
        "amount": Decimal("10.00"),
        "value_date": date(2025, 3, 10),
        "actor": "bank",
        "source": "statement",
        "source_reference": "mv-3",
    }
    ledger.post_payment(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(ledger.LedgerError):
        ledger.post_payment(**kwargs)  # type: ignore[arg-type]
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1


def test_returned_payment_is_reversed_with_its_allocations() -> None:
    file = make_file()
    posting = ledger.post_payment(
        file=file,
        amount=Decimal("80.00"),
        value_date=date(2025, 3, 10),
        actor="bank",
        source="statement",
        source_reference="mv-4",
    )
    ledger.reverse_payment(entry=posting.entry, on=date(2025, 3, 14), actor="bank", reason="MD06")
    balance = ledger.file_balance(file, as_of=date(2025, 3, 14))
    assert balance.principal == Decimal("200.00")
    assert balance.paid == Decimal("0.00")
    # As of the day before the return, the payment still counted.
    assert ledger.file_balance(file, as_of=date(2025, 3, 13)).principal == Decimal("120.00")
    with pytest.raises(ledger.LedgerError):
        ledger.reverse_payment(entry=posting.entry, on=date(2025, 3, 15), actor="b", reason="x")
    assert_invariants(file)


def test_reduction_of_a_paid_indemnity_reapplies_the_money() -> None:
    file = make_file()
    claim = file.claims.get()
    ledger.charge_indemnity(claim=claim, on=FIRST_CHARGEABLE, actor="t")
    ledger.post_payment(
        file=file,
        amount=Decimal("30.00"),
        value_date=FIRST_CHARGEABLE,
        actor="bank",
        source="statement",
        source_reference="mv-5",
    )
    ledger.reduce_charge(
        claim=claim,
        component=Component.INDEMNITY,
        amount=Decimal("25.00"),
        on=date(2025, 3, 21),
        actor="agent",
        reason="dispute settled in the debtor's favour",
    )
    balance = ledger.file_balance(file, as_of=date(2025, 3, 21), with_accrued_interest=False)
    assert balance.indemnity == Decimal("0.00")
    assert balance.principal == Decimal("170.00")
    assert Allocation.objects.filter(file=file, amount__lt=0).count() == 1
    assert_invariants(file)


def test_payment_dated_before_booked_interest_takes_back_the_excess() -> None:
    file = make_file()
    ledger.book_interest(file=file, through=date(2025, 4, 30), actor="t")
    ledger.post_payment(
        file=file,
        amount=Decimal("100.00"),
        value_date=date(2025, 4, 1),
        actor="bank",
        source="statement",
        source_reference="mv-6",
    )
    reduction = LedgerEntry.objects.get(file=file, kind=EntryKind.RECALCULATION)
    # 2025-03-20..04-30 on 200: 200 x 8 % x 42 / 365 = 1.8410 -> 1.84 booked. A payment of
    # 1 April pays the interest owed to 31 March only (200 x 8 % x 12 / 365 = 0.526 -> 0.52),
    # then 99.48 of principal; from 1 April the interest runs on 100.52:
    # 0.5260 + 100.52 x 8 % x 30 / 365 = 0.5260 + 0.6610 = 1.1870 -> 1.18, so 0.66 goes back.
    assert reduction.component == Component.INTEREST
    assert reduction.amount == Decimal("-0.66")
    shares = {a.component: a.amount for a in Allocation.objects.filter(file=file)}
    assert shares == {Component.INTEREST: Decimal("0.52"), Component.PRINCIPAL: Decimal("99.48")}
    assert_invariants(file)


def test_collective_settlement_stops_interest_at_admissibility() -> None:
    file = make_file()
    File.objects.filter(pk=file.pk).update(interest_stops_on=date(2025, 3, 25))
    file.refresh_from_db()
    balance = ledger.file_balance(file, as_of=date(2025, 6, 30))
    # 5 days (03-20..03-24): 200 x 8 % x 5 / 365 = 0.219 -> 0.21
    assert balance.interest_accrued == Decimal("0.21")


def test_interest_never_runs_past_the_last_published_rate() -> None:
    from amicable.files.models import InterestRate

    file = make_file()
    # The package table ends with H1 2026: without a published H2 rate, interest stops on
    # 2026-06-30 rather than guessing (CEL art. XIX.4; docs/legal.md, section 2, rates are data).
    stopped = ledger.file_balance(file, as_of=date(2026, 11, 24)).interest_accrued
    assert stopped == ledger.file_balance(file, as_of=date(2026, 6, 30)).interest_accrued
    InterestRate.objects.create(kind="commercial", year=2026, half=2, rate=Decimal("10.000"))
    extended = ledger.file_balance(file, as_of=date(2026, 11, 24)).interest_accrued
    # 147 more days (07-01..11-24) at 8 % on 200.00: 6.4438 more, truncated once overall.
    assert extended > stopped
    assert ledger.file_balance(file, as_of=date(2026, 7, 1)).interest_accrued > stopped


def test_interest_booked_past_a_payment_date_is_never_booked_twice() -> None:
    file = make_file()
    ledger.book_interest(file=file, through=date(2025, 5, 9), actor="t")
    ledger.post_payment(
        file=file,
        amount=Decimal("1.00"),
        value_date=date(2025, 4, 17),
        actor="bank",
        source="statement",
        source_reference="mv-7",
    )
    ledger.book_interest(file=file, through=date(2025, 5, 4), actor="t")
    periods = list(
        LedgerEntry.objects.filter(file=file, component=Component.INTEREST, kind=EntryKind.CHARGE)
        .order_by("period_start")
        .values_list("period_start", "period_end")
    )
    assert periods == [(FIRST_CHARGEABLE, date(2025, 5, 9))]
    assert_invariants(file)


def test_a_balance_from_claims_read_by_the_caller_is_the_balance_read_by_the_books() -> None:
    """``file_balance(claims=...)`` (a page that read the claims already) gives the same books
    as the balance that reads them itself: one reading of a claim's terms, ``claim_terms``."""
    file = make_file(
        claims=[
            claim_input(principal=Decimal("300.00"), due_date=date(2025, 2, 10)),
            claim_input(principal=Decimal("120.00"), interest_rate=None),
        ]
    )
    ledger.post_payment(
        file=file,
        amount=Decimal("150.00"),
        value_date=date(2025, 5, 5),
        actor="bank",
        source="statement",
        source_reference="CLAIMS-ONCE",
    )
    on = date(2025, 9, 30)
    claims = list(file.claims.select_related("category").order_by("due_date", "id"))
    assert claims[0].category is not None
    assert ledger.file_balance(file, as_of=on, claims=claims) == ledger.file_balance(file, as_of=on)
    assert ledger.file_balance(file, as_of=on).outstanding > 0
