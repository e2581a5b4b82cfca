"""Running the day twice changes nothing the second time; a dry run writes nothing at all."""

from __future__ import annotations

from collections import Counter

import pytest

from amicable.domain.lifecycle import FileState
from amicable.workflow.models import DailyRun, RunStatus
from tests.workflow.conftest import MONTH_END, mixed_files, run, snapshot, state_of

pytestmark = pytest.mark.django_db

# What the run of 30 April does to each file of ``mixed_files``.
EXPECTED_STATES = {
    "in_collection": FileState.IN_COLLECTION,
    "paid": FileState.PAID,
    # Its first reminder is queued, not sent: no period runs yet (docs/legal.md, section 1).
    "pending": FileState.FIRST_REMINDER_PENDING,
    "grace_over": FileState.FORMAL_NOTICE,
    "grace_running": FileState.GRACE_PERIOD,
    "notice_due": FileState.FORMAL_NOTICE,
    "suspension_over": FileState.FIRST_REMINDER_PENDING,
    "suspended": FileState.SUSPENDED,
    "disputed": FileState.DISPUTED,
}

# Only the counts that are not about the rows written (events, ledger entries, letters).
STEP_COUNTS = {
    "files": 7,
    "files_paid": 1,
    "indemnities_charged": 2,
    "interest_entries": 3,
    "queued_first_reminder": 2,
    "queued_formal_notice": 2,
    "queued_follow_up_reminder": 1,
    "state_changes": 3,
    "suspensions_ended": 1,
    "to_first_reminder_pending": 1,
    "to_formal_notice": 1,
    "to_paid": 1,
}


def step_counts(counts: Counter[str]) -> dict[str, int]:
    rows = {"events", "ledger_entries", "letters_queued"}
    return {name: count for name, count in counts.items() if name not in rows and count}


@pytest.mark.parametrize("batch_size", [pytest.param(1, id="one_file_case"), 1000])
def test_each_file_moves_as_the_law_says(batch_size: int) -> None:
    files = mixed_files()
    result = run(MONTH_END, batch_size=batch_size)
    assert {name: state_of(file) for name, file in files.items()} == EXPECTED_STATES
    assert step_counts(result.counts) == STEP_COUNTS
    assert result.batches == (7 if batch_size == 1 else 1)


def test_second_run_of_the_day_changes_nothing() -> None:
    mixed_files()
    first = run(MONTH_END)
    after_first = snapshot()

    second = run(MONTH_END)

    assert snapshot() == after_first
    assert step_counts(first.counts) == STEP_COUNTS
    # The paid file is closed, so one file fewer is visited; nothing is done to any.
    assert step_counts(second.counts) == {"files": 6}
    runs = DailyRun.objects.filter(run_date=MONTH_END).order_by("id")
    assert list(runs.values_list("status", "files_done")) == [
        (RunStatus.FINISHED, 7),
        (RunStatus.FINISHED, 6),
    ]


def test_dry_run_writes_nothing_and_tells_what_the_run_does() -> None:
    files = mixed_files()
    before = snapshot()
    dry_lines: list[str] = []

    dry = run(MONTH_END, dry_run=True, describe=dry_lines.append)

    assert snapshot() == before
    assert not DailyRun.objects.filter(run_date=MONTH_END).exists()
    names = {file.reference: name for name, file in files.items()}
    claims = {name: file.claims.get().creditor_reference for name, file in files.items()}
    assert [(names[line.split(": ")[0]], line.split(": ", 1)[1]) for line in dry_lines] == [
        ("in_collection", "queue follow_up_reminder (electronic) due 2025-04-30"),
        ("in_collection", "interest 1.31 through 2025-04-30"),
        ("paid", "in_collection -> paid"),
        ("pending", "queue first_reminder (electronic) due 2025-04-30"),
        ("grace_over", "grace_period -> formal_notice"),
        ("grace_over", f"indemnity 25.00 on {claims['grace_over']}"),
        ("grace_over", "queue formal_notice (paper) due 2025-04-30"),
        # 20 March to 30 April: 42 days at 8 % on 200.00 = 1.841...
        ("grace_over", "interest 1.84 through 2025-04-30"),
        ("notice_due", f"indemnity 25.00 on {claims['notice_due']}"),
        ("notice_due", "queue formal_notice (paper) due 2025-04-30"),
        ("notice_due", "interest 1.84 through 2025-04-30"),
        ("suspension_over", "suspended -> first_reminder_pending"),
        ("suspension_over", "queue first_reminder (electronic) due 2025-04-30"),
    ]
    # The real run then does exactly that.
    real_lines: list[str] = []
    real = run(MONTH_END, describe=real_lines.append)
    assert dry.counts == real.counts
    assert real_lines == dry_lines
