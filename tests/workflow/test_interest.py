"""Interest is booked set-based, once a month, with the figures of the per-file ledger service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from amicable.domain.imputation import Component
from amicable.files import ledger
from amicable.files.models import EntryKind, Event, File, LedgerEntry
from amicable.workflow.planning import interest_cutoff
from tests.factories import shown_to_debtor
from tests.workflow.conftest import collection_file, collection_files, run

pytestmark = pytest.mark.django_db


def interest(file: File) -> list[tuple[Decimal, date | None, date | None]]:
    return list(
        LedgerEntry.objects.filter(file=file, component=Component.INTEREST, kind=EntryKind.CHARGE)
        .order_by("id")
        .values_list("amount", "period_start", "period_end")
    )


@pytest.mark.parametrize(
    ("run_date", "cutoff"),
    [
        pytest.param(date(2025, 4, 29), date(2025, 3, 31), id="before_month_end_case"),
        pytest.param(date(2025, 4, 30), date(2025, 4, 30), id="last_working_day_case"),
        pytest.param(date(2025, 5, 31), date(2025, 5, 30), id="saturday_after_it_case"),
        pytest.param(date(2025, 6, 2), date(2025, 5, 30), id="next_month_catch_up_case"),
        pytest.param(date(2025, 1, 2), date(2024, 12, 31), id="new_year_case"),
    ],
)
def test_interest_cutoff_is_the_months_last_working_day(run_date: date, cutoff: date) -> None:
    assert interest_cutoff(run_date) == cutoff


def test_interest_is_booked_through_each_months_last_working_day_xix4() -> None:
    file = collection_file()
    # At the notice, 1 day (18 March): 0.0438 -> 0.04; on 8 April, the catch-up to 31 March:
    # the 14 days owed at 8 % on 200.00 are 0.6137..., truncated once to 0.61, of which 0.04 is
    # booked: 0.57.
    assert interest(file) == [
        (Decimal("0.04"), date(2025, 3, 18), date(2025, 3, 18)),
        (Decimal("0.57"), date(2025, 3, 19), date(2025, 3, 31)),
    ]
    run(date(2025, 4, 29))
    assert len(interest(file)) == 2
    result = run(date(2025, 4, 30))
    # 44 days owed: 200 x 8 % x 44 / 365 = 1.9287... -> 1.92, of which 0.61 is booked: 1.31.
    assert interest(file)[2:] == [(Decimal("1.31"), date(2025, 4, 1), date(2025, 4, 30))]
    assert result.counts["interest_entries"] == 1
    assert result.amounts["interest"] == Decimal("1.31")
    event = Event.objects.filter(file=file, kind="interest_booked").latest("id")
    assert event.data == {
        "claims": [
            {
                "claim": file.claims.get().creditor_reference,
                "amount": "1.31",
                "from": "2025-04-01",
                "to": "2025-04-30",
            }
        ]
    }
    assert shown_to_debtor(event) is True


def test_interest_matches_the_per_file_ledger_service() -> None:
    by_run, by_service = collection_files(2)
    ledger.book_interest(file=by_service, through=date(2025, 5, 30), actor="test")
    run(date(2025, 5, 30))
    assert interest(by_run)[2:] == interest(by_service)[2:]
    # 18 March to 30 May: 74 days, 200 x 8 % x 74 / 365 = 3.2438... -> 3.24, of which 0.61
    # is booked: 2.63.
    assert interest(by_run)[2:] == [(Decimal("2.63"), date(2025, 4, 1), date(2025, 5, 30))]


def test_a_missed_month_end_is_caught_up_once() -> None:
    file = collection_file()
    run(date(2025, 6, 2))
    run(date(2025, 6, 3))
    assert interest(file)[2:] == [(Decimal("2.63"), date(2025, 4, 1), date(2025, 5, 30))]


def test_interest_stops_the_day_it_stops() -> None:
    file = collection_file()
    # A collective settlement revoked after an admissibility on 16 April: no interest from then.
    File.objects.filter(pk=file.pk).update(interest_stops_on=date(2025, 4, 16))
    run(date(2025, 4, 30))
    # 18 March to 15 April: 29 days -> 1.2712... -> 1.27, of which 0.61 is booked: 0.66.
    assert interest(file)[2:] == [(Decimal("0.66"), date(2025, 4, 1), date(2025, 4, 15))]


def test_no_interest_without_an_interest_clause_xix4() -> None:
    file = collection_file(interest_clause=False, interest_rate=None)
    run(date(2025, 4, 30))
    assert interest(file) == []


def test_interest_runs_on_the_principal_still_outstanding() -> None:
    file = collection_file()
    # 150.00 paid on 10 April: the payment books the interest owed to 9 April (23 days on
    # 200.00: 1.0082 -> 1.00, of which 0.61 was booked: 0.39), then pays the interest (1.00),
    # the indemnity (25.00), and 124.00 of principal.
    ledger.post_payment(
        file=file,
        amount=Decimal("150.00"),
        value_date=date(2025, 4, 10),
        actor="test",
        source="statement",
        source_reference="part",
    )
    run(date(2025, 4, 30))
    balance = ledger.file_balance(file, as_of=date(2025, 4, 30))
    assert balance.principal == Decimal("76.00")
    # To 30 April: 1.0082 + 76.00 x 8 % x 21 / 365 = 1.0082 + 0.3498 = 1.3580 -> 1.35, of which
    # 1.00 is booked: 0.35; nothing left accrued.
    assert interest(file)[-1] == (Decimal("0.35"), date(2025, 4, 10), date(2025, 4, 30))
    assert balance.interest_accrued == Decimal("0.00")
