"""Nothing at all happens to a suspended or frozen file; a suspension whose end passed ends."""

from __future__ import annotations

from datetime import date

import pytest

from amicable.domain.lifecycle import FileState
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Event, File, LedgerEntry
from amicable.plans.models import PaymentPlan, PlanStatus
from amicable.workflow.models import LetterRequest
from tests.workflow.conftest import (
    MONDAY,
    MONTH_END,
    collection_file,
    kinds,
    pending_file,
    produce,
    run,
    snapshot,
    state_of,
)
from tests.workflow.test_payment_plans import plan_on

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("state", "until"),
    [
        pytest.param(FileState.SUSPENDED, None, id="suspended_without_end_case"),
        pytest.param(FileState.SUSPENDED, MONTH_END, id="suspended_until_today_case"),
        pytest.param(FileState.SUSPENDED, date(2025, 5, 15), id="suspended_until_later_case"),
        pytest.param(FileState.DISPUTED, None, id="disputed_case"),
        # An end date on a dispute does not lift it: an agent decides on the dispute.
        pytest.param(FileState.DISPUTED, date(2025, 4, 1), id="disputed_with_date_case"),
        pytest.param(FileState.DEBT_MEDIATION, None, id="debt_mediation_case"),
        pytest.param(FileState.COLLECTIVE_SETTLEMENT, None, id="collective_settlement_case"),
    ],
)
def test_nothing_happens_on_suspended_or_frozen_files(state: FileState, until: date | None) -> None:
    # Without the suspension, the run of 30 April would send a first reminder to the first
    # file, and book interest and queue a follow-up on the second.
    files = [pending_file(), collection_file()]
    for file in files:
        change_file_state(file=file, new_state=state, actor="test")
    File.objects.filter(pk__in=[f.pk for f in files]).update(suspended_until=until)
    before = snapshot()

    result = run(MONTH_END)

    assert snapshot() == before
    assert result.counts["files"] == 0


def suspend(file: File, *, until: date) -> None:
    change_file_state(file=file, new_state=FileState.SUSPENDED, actor="test")
    File.objects.filter(pk=file.pk).update(
        suspension_reason="Documents requested", suspended_since=MONDAY, suspended_until=until
    )


def test_suspension_before_the_first_reminder_resumes_there_xix2() -> None:
    file = pending_file()
    suspend(file, until=date(2025, 3, 9))
    run(date(2025, 3, 9))
    assert state_of(file) is FileState.SUSPENDED

    result = run(date(2025, 3, 10))

    file.refresh_from_db()
    # Resumed where it was; the reminder is queued, and its period waits for its dispatch.
    assert file.file_state is FileState.FIRST_REMINDER_PENDING
    assert (file.suspension_reason, file.suspended_since, file.suspended_until) == ("", None, None)
    changes = list(
        Event.objects.filter(file=file, actor="daily-run", kind="state_changed")
        .order_by("id")
        .values_list("data", flat=True)
    )
    assert changes == [{"from": "suspended", "to": "first_reminder_pending"}]
    assert file.claims.get().first_reminder_sent_on is None
    assert result.counts["suspensions_ended"] == 1
    produce("first_reminder", on=date(2025, 3, 10))
    assert state_of(file) is FileState.GRACE_PERIOD
    assert file.claims.get().first_reminder_sent_on == date(2025, 3, 10)


def test_suspension_in_collection_resumes_with_a_new_formal_notice_xix7() -> None:
    file = collection_file()
    suspend(file, until=date(2025, 4, 18))

    run(date(2025, 4, 22))

    assert state_of(file) is FileState.FORMAL_NOTICE
    notices = list(
        LetterRequest.objects.filter(file=file, kind="formal_notice")
        .order_by("cycle")
        .values_list("cycle", "status", "due_on")
    )
    assert notices == [(1, "produced", date(2025, 3, 18)), (2, "pending", date(2025, 4, 22))]
    # The indemnity was charged with the first notice, never again.
    assert LedgerEntry.objects.filter(file=file, component="indemnity").count() == 1

    produce("formal_notice", on=date(2025, 4, 23))
    run(date(2025, 4, 24))
    file.refresh_from_db()
    assert file.file_state is FileState.WAITING_PERIOD
    assert file.formal_notice_sent_on == date(2025, 4, 23)
    # Paper, sent Wed 23 April: starts Mon 28 April, day 14 Sun 11 May -> Mon 12 May.
    assert file.waiting_period_last_day == date(2025, 5, 12)


def test_suspended_payment_plan_resumes_as_a_plan() -> None:
    file = collection_file()
    plan_on(file)
    suspend(file, until=date(2025, 4, 18))
    run(date(2025, 4, 22))
    assert state_of(file) is FileState.PAYMENT_PLAN


def test_a_suspended_file_whose_plan_no_longer_runs_gets_a_new_notice_xix7() -> None:
    file = collection_file()
    plan_on(file)
    suspend(file, until=date(2025, 4, 18))
    PaymentPlan.objects.filter(file=file).update(status=PlanStatus.CANCELLED)
    run(date(2025, 4, 22))
    assert state_of(file) is FileState.FORMAL_NOTICE


def test_suspension_with_no_history_resumes_where_the_claims_stand() -> None:
    file = pending_file()
    # Imported as suspended: no state change on the timeline to say where it was.
    File.objects.filter(pk=file.pk).update(
        state=FileState.SUSPENDED, suspended_until=date(2025, 3, 9)
    )
    run(date(2025, 3, 10))
    # No reminder was ever sent: back to the first reminder, which is queued now.
    assert state_of(file) is FileState.FIRST_REMINDER_PENDING
    assert kinds(file) == ["state_changed", "letter_queued"]


def test_notice_sent_before_a_dispute_does_not_restart_collection_xix7() -> None:
    file = pending_file()
    run(MONDAY)
    produce("first_reminder", on=MONDAY)
    run(date(2025, 3, 18))
    produce("formal_notice", on=date(2025, 3, 19))
    # The debtor disputes before the run acts on the notice; nothing happens while disputed.
    change_file_state(file=file, new_state=FileState.DISPUTED, actor="agent")
    run(date(2025, 3, 20))
    assert state_of(file) is FileState.DISPUTED
    # The dispute is resolved: collection resumes with a new notice (CEL art. XIX.7 §3), the
    # one sent before the dispute does not start a waiting period.
    change_file_state(file=file, new_state=FileState.FORMAL_NOTICE, actor="agent")

    run(date(2025, 3, 21))

    file.refresh_from_db()
    assert file.file_state is FileState.FORMAL_NOTICE
    assert file.formal_notice_sent_on is None
    notices = list(
        LetterRequest.objects.filter(file=file, kind="formal_notice")
        .order_by("cycle")
        .values_list("cycle", "status", "applied_on")
    )
    assert notices == [(1, "produced", None), (2, "pending", None)]
    assert LedgerEntry.objects.filter(file=file, component="indemnity").count() == 1
