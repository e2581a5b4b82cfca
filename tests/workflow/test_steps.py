"""Each step of the daily run, on files built through intake, with the exact figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from amicable.domain.imputation import Component
from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.models import Claim, EntryKind, Event, File, LedgerEntry
from amicable.workflow.models import LetterRequest, LetterStatus, Postage
from tests.factories import claim_input, make_file
from tests.workflow.conftest import (
    MONDAY,
    collection_file,
    kinds,
    pending_file,
    produce,
    run,
    state_of,
)

pytestmark = pytest.mark.django_db


def entries(file: File, component: Component) -> list[tuple[Decimal, date]]:
    return list(
        LedgerEntry.objects.filter(file=file, component=component, kind=EntryKind.CHARGE)
        .order_by("id")
        .values_list("amount", "value_date")
    )


def test_first_reminder_is_queued_and_its_dispatch_starts_the_grace_period_xix2() -> None:
    file = pending_file()
    assert state_of(file) is FileState.FIRST_REMINDER_PENDING

    result = run(MONDAY)

    # Queued, not sent: no period runs yet (docs/legal.md, section 1).
    assert state_of(file) is FileState.FIRST_REMINDER_PENDING
    claim = file.claims.get()
    assert (claim.first_reminder_sent_on, claim.grace_last_day) == (None, None)
    letter = LetterRequest.objects.get(file=file)
    assert (letter.kind, letter.cycle, letter.step, letter.channel, letter.due_on) == (
        "first_reminder",
        1,
        1,
        "electronic",
        MONDAY,
    )
    assert letter.status == LetterStatus.PENDING
    assert letter.data == {"claims": [claim.creditor_reference]}
    assert kinds(file) == ["letter_queued"]
    assert result.counts["queued_first_reminder"] == 1
    assert LedgerEntry.objects.filter(file=file).count() == 1  # the principal, nothing charged

    produce("first_reminder", on=MONDAY)

    assert state_of(file) is FileState.GRACE_PERIOD
    claim.refresh_from_db()
    # The debtor gave an e-mail: electronic, period from the next day, last day Mon 17 March.
    assert (claim.first_reminder_sent_on, claim.first_reminder_channel) == (MONDAY, "electronic")
    assert (claim.grace_last_day, claim.first_chargeable_day) == (
        date(2025, 3, 17),
        date(2025, 3, 18),
    )


def test_first_reminder_goes_on_paper_without_an_email_xix2() -> None:
    file = make_file(
        claims=[claim_input(first_reminder_sent_on=None, first_reminder_channel=None)],
        today=MONDAY,
        email="",
    )
    run(MONDAY)
    produce("first_reminder", on=MONDAY)
    claim = file.claims.get()
    # Paper: the period starts on the 3rd working day after sending (docs/legal.md, section 1).
    assert (claim.first_reminder_channel, claim.grace_last_day) == ("paper", date(2025, 3, 19))
    assert LetterRequest.objects.get(file=file).channel == "paper"


def test_nothing_is_charged_while_the_grace_period_runs_xix2() -> None:
    file = pending_file()
    run(MONDAY)
    produce("first_reminder", on=MONDAY)
    result = run(date(2025, 3, 17))
    assert state_of(file) is FileState.GRACE_PERIOD
    assert result.counts["state_changes"] == 0
    assert LedgerEntry.objects.filter(file=file).count() == 1


def test_grace_period_over_moves_to_formal_notice_with_indemnity_xix4() -> None:
    file = pending_file()
    run(MONDAY)
    produce("first_reminder", on=MONDAY)

    result = run(date(2025, 3, 18))

    assert state_of(file) is FileState.FORMAL_NOTICE
    # 10 % of 200 with a minimum of 25 gives 25, within the cap of 35 on 200 (art. XIX.4).
    assert entries(file, Component.INDEMNITY) == [(Decimal("25.00"), date(2025, 3, 18))]
    # The notice itemises the interest to date: one day at 8 % on 200 is 0.0438, so 0.04.
    assert entries(file, Component.INTEREST) == [(Decimal("0.04"), date(2025, 3, 18))]
    interest = LedgerEntry.objects.get(file=file, component=Component.INTEREST)
    assert (interest.period_start, interest.period_end) == (date(2025, 3, 18), date(2025, 3, 18))
    notice = LetterRequest.objects.get(file=file, kind="formal_notice")
    # The default strategy sends the notice on paper, at once.
    assert (notice.cycle, notice.step, notice.channel, notice.due_on) == (
        1,
        2,
        "paper",
        date(2025, 3, 18),
    )
    assert kinds(file)[1:] == [
        "state_changed",
        "indemnity_charged",
        "letter_queued",
        "interest_booked",
    ]
    assert result.counts["indemnities_charged"] == 1
    assert result.amounts["indemnity"] == Decimal("25.00")
    assert set(LedgerEntry.objects.filter(file=file).values_list("actor", flat=True)) == {
        "test",
        "daily-run",
    }


def test_indemnity_is_recapped_on_the_principal_still_outstanding_xix4() -> None:
    # A fixed 40 under a contract of 2022: reduced to the cap (art. XIX.4, older contract).
    file = pending_file(
        principal=Decimal("600.00"),
        indemnity_percent=None,
        indemnity_minimum=None,
        indemnity_fixed=Decimal("80.00"),
        contract_date=date(2022, 1, 10),
    )
    claim = file.claims.get()
    assert claim.allowed_indemnity == Decimal("70.00")  # cap on 600: 65 + 5 % of 100
    run(MONDAY)
    produce("first_reminder", on=MONDAY)
    # 500 paid before the notice: the cap on the 100.00 left is 20.00.
    ledger.post_payment(
        file=file,
        amount=Decimal("500.00"),
        value_date=date(2025, 3, 10),
        actor="test",
        source="statement",
        source_reference="pay-1",
    )
    run(date(2025, 3, 18))
    assert entries(file, Component.INDEMNITY) == [(Decimal("20.00"), date(2025, 3, 18))]


def test_indemnity_refused_is_recorded_never_forced_xix4() -> None:
    # Intake allowed 25.00, then the contract turned out to have no damages clause: the run
    # records the refusal of art. XIX.4 and charges nothing.
    file = pending_file()
    run(MONDAY)
    produce("first_reminder", on=MONDAY)
    claim = file.claims.get()
    Claim.objects.filter(pk=claim.pk).update(indemnity_clause=False)
    run(date(2025, 3, 18))
    assert entries(file, Component.INDEMNITY) == []
    refusal = Event.objects.get(file=file, kind="charge_refused")
    assert refusal.data["reason"] == "no_contract_clause"
    assert refusal.data["charge"] == "indemnity"
    assert state_of(file) is FileState.FORMAL_NOTICE


def test_produced_notice_starts_the_waiting_period_xix7() -> None:
    file = pending_file()
    run(MONDAY)
    produce("first_reminder", on=MONDAY)
    run(date(2025, 3, 18))
    # No notice produced yet: the file waits in FORMAL_NOTICE, and no second notice is queued.
    run(date(2025, 3, 19))
    assert state_of(file) is FileState.FORMAL_NOTICE
    assert LetterRequest.objects.filter(file=file, kind="formal_notice").count() == 1

    assert produce("formal_notice", on=date(2025, 3, 19)) == 1
    run(date(2025, 3, 20))

    file.refresh_from_db()
    assert file.file_state is FileState.WAITING_PERIOD
    # Paper notice sent Wed 19 March: starts Mon 24 March, day 14 is Sun 6 April -> Mon 7 April.
    assert file.formal_notice_sent_on == date(2025, 3, 19)
    assert file.waiting_period_last_day == date(2025, 4, 7)
    assert LetterRequest.objects.get(file=file, kind="formal_notice").applied_on == date(
        2025, 3, 20
    )


def test_waiting_period_over_moves_to_collection_xix7() -> None:
    file = pending_file()
    run(MONDAY)
    produce("first_reminder", on=MONDAY)
    run(date(2025, 3, 18))
    produce("formal_notice", on=date(2025, 3, 19))
    run(date(2025, 3, 20))
    run(date(2025, 4, 7))
    assert state_of(file) is FileState.WAITING_PERIOD
    run(date(2025, 4, 8))
    assert state_of(file) is FileState.IN_COLLECTION


def test_follow_up_reminders_follow_the_strategy_delays() -> None:
    file = collection_file(regular_supply=False)
    # First follow-up: 10 working days after Mon 7 April; Easter Monday 21 April does not
    # count, so Tue 22 April.
    run(date(2025, 4, 18))
    assert not LetterRequest.objects.filter(file=file, kind="follow_up_reminder").exists()
    run(date(2025, 4, 22))
    first = LetterRequest.objects.get(file=file, kind="follow_up_reminder")
    assert (first.cycle, first.step, first.channel, first.due_on, first.charges_cost) == (
        1,
        3,
        "electronic",
        date(2025, 4, 22),
        True,
    )
    # The second waits for the first to be sent, then 15 working days.
    run(date(2025, 5, 30))
    assert LetterRequest.objects.filter(file=file, kind="follow_up_reminder").count() == 1
    produce("follow_up_reminder", on=date(2025, 4, 23))
    run(date(2025, 4, 24))
    # An e-mail has no postage: the cost is the flat 7.50 (CEL art. XIX.2).
    assert entries(file, Component.REMINDER_COST) == [(Decimal("7.50"), date(2025, 4, 23))]
    # 15 working days after Wed 23 April, 1 May not counted: Thu 15 May.
    run(date(2025, 5, 14))
    assert LetterRequest.objects.filter(file=file, kind="follow_up_reminder").count() == 1
    run(date(2025, 5, 15))
    second = LetterRequest.objects.get(file=file, kind="follow_up_reminder", step=4)
    assert (second.channel, second.due_on) == ("paper", date(2025, 5, 15))


def test_follow_up_cost_includes_postage_on_paper_xix2() -> None:
    Postage.objects.create(valid_from=date(2025, 1, 1), amount=Decimal("1.74"))
    file = collection_file(regular_supply=False)
    run(date(2025, 4, 22))
    produce("follow_up_reminder", on=date(2025, 4, 23))
    run(date(2025, 4, 24))
    run(date(2025, 5, 16))
    produce("follow_up_reminder", on=date(2025, 5, 16))
    run(date(2025, 5, 19))
    costs = entries(file, Component.REMINDER_COST)
    assert costs == [
        (Decimal("7.50"), date(2025, 4, 23)),
        (Decimal("9.24"), date(2025, 5, 16)),
    ]


@pytest.mark.parametrize(
    ("claim", "reason"),
    [
        pytest.param({"regular_supply": True}, "reminder_not_chargeable", id="regular_supply_case"),
        pytest.param(
            {"regular_supply": False, "reminder_cost_clause": False},
            "no_contract_clause",
            id="no_clause_case",
        ),
    ],
)
def test_follow_up_cost_refused_when_the_law_says_free_xix2(
    claim: dict[str, object], reason: str
) -> None:
    file = collection_file(**claim)
    run(date(2025, 4, 22))
    produce("follow_up_reminder", on=date(2025, 4, 23))
    run(date(2025, 4, 24))
    assert entries(file, Component.REMINDER_COST) == []
    refusal = Event.objects.get(file=file, kind="charge_refused")
    assert (refusal.data["charge"], refusal.data["reason"]) == ("reminder_cost", reason)
    # Refused once, not every day.
    run(date(2025, 4, 25))
    assert Event.objects.filter(file=file, kind="charge_refused").count() == 1


def test_paid_file_is_closed_from_the_ledger_sums() -> None:
    file = collection_file()
    balance = ledger.file_balance(file, as_of=date(2025, 4, 9))
    ledger.post_payment(
        file=file,
        amount=balance.outstanding,
        value_date=date(2025, 4, 10),
        actor="test",
        source="statement",
        source_reference="pay-all",
    )
    result = run(date(2025, 4, 11))
    file.refresh_from_db()
    assert file.file_state is FileState.PAID
    assert (file.closed_on, file.closed_reason) == (date(2025, 4, 11), "Paid in full.")
    assert result.counts["files_paid"] == 1
    # A paid file is no longer visited.
    again = run(date(2025, 4, 30))
    assert again.counts["files"] == 0


def test_partly_paid_file_stays_open() -> None:
    file = collection_file()
    ledger.post_payment(
        file=file,
        amount=Decimal("50.00"),
        value_date=date(2025, 4, 10),
        actor="test",
        source="statement",
        source_reference="pay-part",
    )
    run(date(2025, 4, 11))
    assert state_of(file) is FileState.IN_COLLECTION
