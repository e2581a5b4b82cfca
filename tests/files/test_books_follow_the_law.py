"""The books follow the law to the cent where copies of a rule used to disagree.

Each case was found by simulating files end to end; each test gives its exact figures, worked
out by hand in the comments (simple interest, actual days / 365, truncated to the cent once:
docs/legal.md, section 2).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from amicable.domain.imputation import Component
from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import LetterKind
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Allocation, EntryKind, File, LedgerEntry
from amicable.letters.assembly import build_letter_data
from amicable.letters.checks import letter_errors
from tests.factories import claim_input, make_file, pay
from tests.files.test_ledger import assert_invariants

pytestmark = pytest.mark.django_db

D = Decimal


def interest_entries(file_id: int) -> list[tuple[str, Decimal]]:
    return list(
        LedgerEntry.objects.filter(file_id=file_id, component=Component.INTEREST)
        .order_by("id")
        .values_list("kind", "amount")
    )


def interest_held(file_id: int) -> Decimal:
    return sum((amount for _kind, amount in interest_entries(file_id)), D("0.00"))


def two_invoices_of_1000() -> File:
    """Two invoices of 1,000.00 at 8 % (due 10 January and 10 February 2025), chargeable from 20
    March 2025, with no indemnity clause."""
    return make_file(
        claims=[
            claim_input(
                principal=D("1000.00"),
                due_date=due,
                indemnity_percent=None,
                indemnity_minimum=None,
            )
            for due in (date(2025, 1, 10), date(2025, 2, 10))
        ]
    )


def test_a_payment_during_a_dispute_lowers_the_interest_of_the_days_after_it_only_xix4() -> None:
    """Each day bears interest on what was due that day, even while a dispute holds the file."""
    file = make_file()  # 200.00 at 8 %, chargeable from 20 March 2025
    ledger.book_interest(file=file, through=date(2025, 3, 31), actor="run")  # 12 days: 0.52
    change_file_state(file=file, new_state=FileState.DISPUTED, actor="debtor")
    pay(file, D("100.00"), date(2025, 4, 15), "during-dispute")
    # While disputed nothing is charged: the payment pays the 0.52 booked, then 99.48 of
    # principal, which is left at 100.52 from 15 April.
    assert interest_entries(file.pk) == [(EntryKind.CHARGE, D("0.52"))]
    change_file_state(file=file, new_state=FileState.FORMAL_NOTICE, actor="agent")

    ledger.book_interest(file=file, through=date(2025, 5, 30), actor="run")

    # 20 March to 14 April on 200.00: 200 x 8 % x 26 / 365 = 1.1397;
    # 15 April to 30 May on 100.52: 100.52 x 8 % x 46 / 365 = 1.0135; 2.1532 -> 2.15.
    # (Counted on the principal left at booking time for the whole window, it was 1.84.)
    assert interest_held(file.pk) == D("2.15")
    assert_invariants(file)


def test_a_returned_payment_brings_back_the_interest_it_had_taken_xix4() -> None:
    """Returned money was never paid: the days its recalculation took back are owed again."""
    file = make_file()
    ledger.book_interest(file=file, through=date(2025, 4, 30), actor="run")  # 42 days: 1.84
    posting = pay(file, D("100.00"), date(2025, 4, 1), "back-dated")
    # Owed to 30 April with 99.48 paid on 1 April: 0.5260 + 100.52 x 8 % x 30 / 365 = 1.1870
    # -> 1.18, so 0.66 is recalculated away.
    assert interest_held(file.pk) == D("1.18")

    ledger.reverse_payment(entry=posting.entry, on=date(2025, 5, 10), actor="bank", reason="R01")

    # Back to 200.00 from 20 March: 1.84 owed again, the 0.66 booked once more.
    assert interest_entries(file.pk) == [
        (EntryKind.CHARGE, D("1.84")),
        (EntryKind.RECALCULATION, D("-0.66")),
        (EntryKind.RECALCULATION, D("0.66")),
    ]
    balance = ledger.file_balance(file, as_of=date(2025, 5, 10), with_accrued_interest=False)
    assert balance.principal == D("200.00")
    assert balance.interest == D("1.84")
    assert_invariants(file)


def test_a_dispute_upheld_in_part_takes_back_what_was_booked_on_the_cancelled_part() -> None:
    """On any part of a claim that a dispute cancels, no interest or indemnity is ever due
    (docs/legal.md, section 3): both are counted again on the principal left."""
    file = make_file(
        claims=[
            claim_input(principal=D("1000.00"), indemnity_percent=D("5"), indemnity_minimum=None)
        ]
    )
    claim = file.claims.get()
    # 5 % of 1,000.00 = 50.00, within the cap of 90.00 (CEL art. XIX.4).
    ledger.charge_indemnity(claim=claim, on=date(2025, 4, 1), actor="run")
    # 20 March to 30 April on 1,000.00: 1000 x 8 % x 42 / 365 = 9.2054 -> 9.20.
    ledger.book_interest(file=file, through=date(2025, 4, 30), actor="run")

    ledger.reduce_charge(
        claim=claim,
        component=Component.PRINCIPAL,
        amount=D("400.00"),
        on=date(2025, 5, 5),
        actor="agent",
        reason="dispute partly upheld: 400.00 was never delivered",
    )

    balance = ledger.file_balance(file, as_of=date(2025, 5, 5), with_accrued_interest=False)
    # The indemnity is decided again on 600.00: 5 % = 30.00 (cap 70.00), not 50.00 kept.
    assert balance.indemnity == D("30.00")
    # The interest on 600.00 only: 600 x 8 % x 42 / 365 = 5.5232 -> 5.52, not 9.20 kept.
    assert balance.interest == D("5.52")
    assert balance.principal == D("600.00")
    recalculated = LedgerEntry.objects.filter(file=file, kind=EntryKind.RECALCULATION)
    assert sorted((e.component, e.amount) for e in recalculated) == [
        (Component.INDEMNITY, D("-20.00")),
        (Component.INTEREST, D("-3.68")),
    ]
    assert_invariants(file)


def test_a_cancellation_recounts_the_interest_of_the_claim_its_payments_go_to_xix4() -> None:
    """A claim cancelled in full releases what was paid on it; applied again to the other
    claim's principal as of the day it was paid, it lowers that claim's interest from that day
    on, and the same operation takes back what that claim no longer owes (each day bears
    interest on the principal due that day, CEL art. XIX.4), not the next month's booking."""
    file = two_invoices_of_1000()
    first, second = file.claims.order_by("due_date")
    # 20 to 31 March on 1,000.00 each: 1000 x 8 % x 12 / 365 = 2.6301 -> 2.63 a claim. The
    # 500.00 of 1 April pays both interests, then 494.74 of the oldest claim's principal.
    pay(file, D("500.00"), date(2025, 4, 1), "REF-1")
    # April (30 days), the second claim on 1,000.00: 2.6301 + 1000 x 8 % x 30 / 365 = 9.2055
    # -> 9.20 through 30 April, 6.57 booked now.
    ledger.book_interest(file=file, through=date(2025, 4, 30), actor="run")

    ledger.reduce_charge(
        claim=first,
        component=Component.PRINCIPAL,
        amount=D("1000.00"),
        on=date(2025, 5, 5),
        actor="agent",
        reason="dispute upheld: the first invoice was never due",
    )

    # The first claim's 2.63 + 494.74 go to the second claim's principal as of 1 April (its
    # interest to 31 March is paid already): 1,000.00 - 497.37 = 502.63 from that day. Its
    # interest: 2.6301 + 502.63 x 8 % x 30 / 365 = 5.9351 -> 5.93, so 9.20 - 5.93 = 3.27 back.
    recalculated = LedgerEntry.objects.filter(
        file=file, kind=EntryKind.RECALCULATION, component=Component.INTEREST
    ).order_by("id")
    assert list(recalculated.values_list("claim_id", "amount")) == [
        (first.pk, D("-5.95")),  # all of the cancelled claim's interest: 2.63 + 3.32
        (second.pk, D("-3.27")),
    ]
    balance = ledger.file_balance(file, as_of=date(2025, 5, 5), with_accrued_interest=False)
    assert balance.principal == D("502.63")
    assert balance.interest == D("3.30")  # 5.93 owed, 2.63 paid
    assert balance.outstanding == D("505.93")
    assert_invariants(file)


def test_interest_booked_past_a_collective_settlements_admissibility_is_reversed() -> None:
    """Interest stops at admissibility (Judicial Code art. 1675/7): what was booked past it
    goes back at once, and what is owed up to the day before is booked for the declaration."""
    booked, unbooked = make_file(), make_file()
    ledger.book_interest(file=booked, through=date(2025, 4, 30), actor="run")  # 1.84

    for file in (booked, unbooked):
        ledger.stop_interest_at(file=file, stops_on=date(2025, 4, 16), actor="agent")

    # 20 March to 15 April: 200 x 8 % x 27 / 365 = 1.1835 -> 1.18, for both files.
    assert interest_entries(booked.pk) == [
        (EntryKind.CHARGE, D("1.84")),
        (EntryKind.RECALCULATION, D("-0.66")),
    ]
    assert interest_entries(unbooked.pk) == [(EntryKind.CHARGE, D("1.18"))]
    entry = LedgerEntry.objects.get(file=unbooked, component=Component.INTEREST)
    assert (entry.period_start, entry.period_end) == (date(2025, 3, 20), date(2025, 4, 15))


def test_a_claim_written_off_returns_its_write_offs_and_recounts_the_other_claim_xix4() -> None:
    """A dispute upheld on one invoice writes it off: what was paid on it goes to the other
    invoice's principal as of its day, whose interest is taken back at once; the write-off
    returns its own entries only (the dispute's resolution lists each as a write-off)."""
    file = two_invoices_of_1000()
    first, second = file.claims.order_by("due_date")
    # As in the cancellation above: 2.63 + 2.63 of interest and 494.74 of the first principal.
    pay(file, D("500.00"), date(2025, 4, 1), "REF-2")
    ledger.book_interest(file=file, through=date(2025, 4, 30), actor="run")  # 3.32 and 6.57

    written = ledger.write_off_claims(
        claims=[first], on=date(2025, 5, 5), actor="agent", reason="dispute upheld"
    )

    # The first claim's principal and its interest (2.63 + 3.32), nothing of the second's.
    assert sorted((e.kind, e.claim_id, e.component, e.amount) for e in written) == [
        (EntryKind.WRITE_OFF, first.pk, Component.INTEREST, D("-5.95")),
        (EntryKind.WRITE_OFF, first.pk, Component.PRINCIPAL, D("-1000.00")),
    ]
    # The second claim's principal is 502.63 from 1 April: 5.93 owed, 9.20 held, 3.27 back.
    recalculated = LedgerEntry.objects.filter(file=file, kind=EntryKind.RECALCULATION)
    assert list(recalculated.values_list("claim_id", "amount")) == [(second.pk, D("-3.27"))]
    balance = ledger.file_balance(file, as_of=date(2025, 5, 5), with_accrued_interest=False)
    assert (balance.principal, balance.interest) == (D("502.63"), D("3.30"))
    assert_invariants(file)


def test_a_payment_dated_before_admissibility_lowers_the_interest_declared_1675_7() -> None:
    """A payment dated before a collective settlement's admissibility, posted after it, pays
    principal on days whose interest is booked already: the file accrues nothing now, yet what
    that principal no longer bears is taken back at once (Judicial Code art. 1675/7, CEL art.
    XIX.4), or the mediator would be declared too much."""
    file = make_file()
    # 200.00 at 8 % from 20 March to 30 April: 200 x 8 % x 42 / 365 = 1.8411 -> 1.84.
    ledger.book_interest(file=file, through=date(2025, 4, 30), actor="run")
    change_file_state(file=file, new_state=FileState.COLLECTIVE_SETTLEMENT, actor="agent")
    File.objects.filter(pk=file.pk).update(interest_stops_on=date(2025, 4, 16))
    file.refresh_from_db()
    # Through 15 April: 200 x 8 % x 27 / 365 = 1.1836 -> 1.18, so 0.66 back.
    ledger.stop_interest_at(file=file, stops_on=date(2025, 4, 16), actor="agent")

    pay(file, D("100.00"), date(2025, 4, 1), "REF-ADMISSIBLE")

    # It pays the interest to 31 March (200 x 8 % x 12 / 365 = 0.5260 -> 0.52), then 99.48 of
    # principal: 100.52 from 1 April. Through 15 April: 0.5260 + 100.52 x 8 % x 15 / 365 =
    # 0.8565 -> 0.85, so 1.18 - 0.85 = 0.33 back.
    assert interest_entries(file.pk) == [
        (EntryKind.CHARGE, D("1.84")),
        (EntryKind.RECALCULATION, D("-0.66")),
        (EntryKind.RECALCULATION, D("-0.33")),
    ]
    balance = ledger.file_balance(file, as_of=date(2025, 5, 5), with_accrued_interest=False)
    assert (balance.principal, balance.interest) == (D("100.52"), D("0.33"))
    assert_invariants(file)


def test_the_indemnities_of_a_file_never_exceed_the_cap_on_its_balance_xix4() -> None:
    """Two invoices: 25.00 and 2,000.00 were charged on a balance of 52,679.35 whose cap is
    2,000.00, and every formal notice was then refused. Decided per file, the second claim
    gets what the first leaves: 1,975.00, and the notice passes every check."""
    file = make_file(
        claims=[
            claim_input(
                principal=D("250.00"),
                due_date=date(2025, 2, 1),
                indemnity_percent=None,
                indemnity_minimum=None,
                indemnity_fixed=D("25.00"),
            ),
            claim_input(
                principal=D("52429.35"),
                indemnity_percent=None,
                indemnity_minimum=None,
                indemnity_fixed=D("2000.00"),
            ),
        ]
    )
    first, second = file.claims.order_by("due_date")
    ledger.charge_indemnity(claim=first, on=date(2025, 4, 1), actor="run")
    ledger.charge_indemnity(claim=second, on=date(2025, 4, 1), actor="run")

    charged = dict(
        LedgerEntry.objects.filter(file=file, component=Component.INDEMNITY).values_list(
            "claim_id", "amount"
        )
    )
    assert charged == {first.pk: D("25.00"), second.pk: D("1975.00")}
    notice = build_letter_data(file=file, kind=LetterKind.FORMAL_NOTICE, on=date(2025, 4, 2))
    assert letter_errors(notice) == []


def test_a_payment_dated_earlier_refunds_the_interest_it_frees_of_a_later_payment_xix4() -> None:
    """A payment dated before another one posted first lowers the interest of the days between
    them; what the later payment had paid of that interest, nothing else needs: the posting
    leaves that credit too, to refund with its overpayment."""
    file = make_file()  # 200.00 at 8 %, chargeable from 20 March 2025
    ledger.book_interest(file=file, through=date(2025, 4, 30), actor="run")  # 42 days: 1.84
    first = pay(file, D("100.00"), date(2025, 5, 2), "posted-first")
    # Interest to 1 May on 200.00: 43 days, 1.8849 -> 1.88 (0.04 booked); 98.12 of principal.
    assert [(s.component, s.amount) for s in first.shares] == [
        (Component.INTEREST, D("1.88")),
        (Component.PRINCIPAL, D("98.12")),
    ]
    assert (first.overpayment, first.credit_released) == (D("0.00"), D("0.00"))

    earlier = pay(file, D("150.00"), date(2025, 4, 1), "dated-earlier")

    # It pays the 101.88 of principal left (the interest to 31 March, 0.52, is paid already):
    # 48.12 over. From 1 April the principal is 98.12, so the interest to 1 May is
    # 200 x 8 % x 12 / 365 + 98.12 x 8 % x 31 / 365 = 0.5260 + 0.6667 = 1.1927 -> 1.19: 0.69
    # of the 1.88 the first payment paid is released, and nothing is left open to take it.
    assert interest_held(file.pk) == D("1.19")
    assert [(s.component, s.amount) for s in earlier.shares] == [(Component.PRINCIPAL, D("101.88"))]
    assert (earlier.overpayment, earlier.credit_released) == (D("48.12"), D("0.69"))
    assert earlier.credit_left == D("48.81")  # the imputation alone said 48.12
    balance = ledger.file_balance(file, as_of=date(2025, 5, 2), with_accrued_interest=False)
    assert balance.credit == D("48.81")
    assert balance.principal == D("0.00")
    # The timeline adds up: 101.88 + 48.12 is the payment, and the credit released is apart.
    posted = file.events.filter(kind="payment_posted").order_by("id").last()
    assert posted is not None
    reference = file.claims.get().creditor_reference
    assert posted.data["allocations"] == [
        {"claim": reference, "component": "principal", "amount": "101.88"}
    ]
    assert (posted.data["overpayment"], posted.data["credit_released"]) == ("48.12", "0.69")
    assert "credit_released" not in file.events.filter(kind="payment_posted").first().data
    assert_invariants(file)


def test_a_payment_returned_never_pays_again_when_interest_is_released_xix4() -> None:
    """What a recount releases comes from the payments that still pay it, never from one the
    bank returned: applied again as of the wrong day, it would move the interest of the days
    between them."""
    file = make_file()  # 200.00 at 8 %, chargeable from 20 March 2025
    ledger.book_interest(file=file, through=date(2025, 6, 30), actor="run")
    for amount, day, reference in (
        ("3.00", date(2025, 6, 2), "early-june"),
        ("50.00", date(2025, 6, 20), "returned"),
    ):
        posting = pay(file, D(amount), day, reference)
    ledger.reverse_payment(entry=posting.entry, on=date(2025, 6, 30), actor="bank", reason="R01")
    for amount, day, reference in (
        ("1.00", date(2025, 6, 25), "late-june"),
        ("150.00", date(2025, 4, 1), "dated-earlier"),
    ):
        pay(file, D(amount), day, reference)
    # 150.00 from 1 April leaves 50.00 of principal: the interest to 30 June is 0.5260 (12 days
    # on 200.00) + 0.9973 (91 days on 50.00) = 1.52, of the 4.51 held; 2.48 of the 4.00 paid on
    # interest is released, the latest payment first: 1.00 of 25 June, then 1.48 of 2 June (the
    # payment of 20 June was returned: it pays nothing to release), each applied to principal as
    # of its day. Recounted: 0.5260 + 0.6795 (1 April to 1 June on 50.00) + 0.2446 (2 to 24 June
    # on 48.52) + 0.0625 (25 to 30 June on 47.52) = 1.5126 -> 1.51, so 0.01 more of 2 June's.
    assert interest_held(file.pk) == D("1.51")
    paid: dict[str, dict[str, Decimal]] = {}
    for reference, reversed_reference, component, amount in Allocation.objects.filter(
        file=file
    ).values_list(
        "entry__source_reference", "entry__reverses__source_reference", "component", "amount"
    ):
        by_component = paid.setdefault(reversed_reference or reference, {})
        by_component[component] = by_component.get(component, D("0.00")) + amount
    assert paid == {
        "early-june": {"interest": D("1.51"), "principal": D("1.49")},
        "returned": {"interest": D("0.00"), "principal": D("0.00")},
        "late-june": {"interest": D("0.00"), "principal": D("1.00")},
        "dated-earlier": {"principal": D("150.00")},
    }
    assert_invariants(file)
