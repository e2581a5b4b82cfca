"""Helpers for the daily run tests: run a day, produce the letters due, read a file back.

Dates follow the examples of docs/legal.md, section 1: an e-mail first reminder sent on Monday 3
March 2025 has its last day of grace on Monday 17 March (first chargeable day 18 March).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Allocation, Claim, Event, File, LedgerEntry, WorkItem
from amicable.workflow.letter_queue import record_letters_produced
from amicable.workflow.models import LetterRequest, LetterStatus
from amicable.workflow.services import RunResult, run_daily
from tests.factories import claim_input, make_file


def run(day: date, **options: Any) -> RunResult:
    """The daily run of ``day``, its progress lines kept out of the test output."""
    options.setdefault("progress_stream", io.StringIO())
    return run_daily(run_date=day, **options)


def produce(kind: str, *, on: date, file: File | None = None) -> int:
    """The letters batch sends every pending letter of ``kind`` (of ``file``) on ``on``."""
    letters = LetterRequest.objects.filter(kind=kind, status=LetterStatus.PENDING)
    if file is not None:
        letters = letters.filter(file=file)
    ids = list(letters.values_list("pk", flat=True))
    return record_letters_produced(request_ids=ids, produced_on=on, actor="letters")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row the run may write, to compare before and after."""
    return {
        "files": list(
            File.objects.order_by("pk").values_list(
                "pk",
                "state",
                "formal_notice_sent_on",
                "waiting_period_last_day",
                "suspended_until",
                "closed_on",
                "updated_at",
            )
        ),
        "claims": list(
            Claim.objects.order_by("pk").values_list(
                "pk",
                "first_reminder_sent_on",
                "first_reminder_channel",
                "grace_last_day",
                "first_chargeable_day",
            )
        ),
        "ledger": list(
            LedgerEntry.objects.order_by("pk").values_list(
                "pk", "claim_id", "kind", "component", "amount", "value_date", "period_end"
            )
        ),
        "allocations": list(Allocation.objects.order_by("pk").values_list("pk", "amount")),
        "events": list(Event.objects.order_by("pk").values_list("pk", "kind", "file_id")),
        "letters": list(
            LetterRequest.objects.order_by("pk").values_list(
                "pk", "file_id", "kind", "cycle", "step", "status", "due_on", "applied_on"
            )
        ),
        "work_items": list(WorkItem.objects.order_by("pk").values_list("pk", "kind")),
    }


def state_of(file: File) -> FileState:
    file.refresh_from_db()
    return file.file_state


def kinds(file: File, *, actor: str = "daily-run") -> list[str]:
    """The kinds of the file's timeline events by ``actor``, in order."""
    return list(
        Event.objects.filter(file=file, actor=actor).order_by("id").values_list("kind", flat=True)
    )


MONDAY = date(2025, 3, 3)


def pending_file(**claim: object) -> File:
    """A file whose creditor sent no first reminder: the agency sends it (CEL art. XIX.2)."""
    values: dict[str, object] = {"first_reminder_sent_on": None, "first_reminder_channel": None}
    values.update(claim)
    return make_file(claims=[claim_input(**values)], today=MONDAY)


def collection_files(count: int = 1, **claim: object) -> list[File]:
    """Files brought to IN_COLLECTION on Tue 8 April 2025 by the run itself.

    Their debtors have an e-mail: first reminder queued and sent on Mon 3 March (grace to
    17 March: it counts from the dispatch, docs/legal.md section 1), notice
    queued on 18 March and sent on paper on 19 March, waiting period to Mon 7 April.
    """
    files = [pending_file(**claim) for _ in range(count)]
    run(MONDAY)
    for file in files:
        produce("first_reminder", on=MONDAY, file=file)
    run(date(2025, 3, 18))
    for file in files:
        produce("formal_notice", on=date(2025, 3, 19), file=file)
    run(date(2025, 3, 20))
    run(date(2025, 4, 8))
    assert [state_of(file) for file in files] == [FileState.IN_COLLECTION] * count
    return files


def collection_file(**claim: object) -> File:
    return collection_files(1, **claim)[0]


MONTH_END = date(2025, 4, 30)  # Wednesday, the last working day of April 2025


def mixed_files() -> dict[str, File]:
    """One file at every stage the run of ``MONTH_END`` acts on, and some it must leave alone."""
    # Both with interest to book, one with a follow-up due, the other paid in full.
    in_collection, paid = collection_files(2, regular_supply=False)
    balance = ledger.file_balance(paid, as_of=date(2025, 4, 10))
    ledger.post_payment(
        file=paid,
        amount=balance.outstanding,
        value_date=date(2025, 4, 10),
        actor="test",
        source="statement",
        source_reference="paid-in-full",
    )
    files = {
        "in_collection": in_collection,
        "paid": paid,
        "pending": make_file(
            claims=[claim_input(first_reminder_sent_on=None, first_reminder_channel=None)],
            today=MONTH_END,
        ),
        # Creditor's paper reminder of 3 March: period over on 20 March.
        "grace_over": make_file(today=date(2025, 3, 10)),
        "grace_running": make_file(
            claims=[claim_input(first_reminder_sent_on=date(2025, 4, 22))], today=MONTH_END
        ),
        "notice_due": make_file(today=date(2025, 4, 1)),
        "suspension_over": pending_file(),
        "suspended": pending_file(),
        "disputed": make_file(today=date(2025, 4, 1)),
    }
    change_file_state(file=files["suspension_over"], new_state=FileState.SUSPENDED, actor="test")
    File.objects.filter(pk=files["suspension_over"].pk).update(suspended_until=date(2025, 4, 29))
    change_file_state(file=files["suspended"], new_state=FileState.SUSPENDED, actor="test")
    File.objects.filter(pk=files["suspended"].pk).update(suspended_until=MONTH_END)
    change_file_state(file=files["disputed"], new_state=FileState.DISPUTED, actor="test")
    for file in files.values():
        file.refresh_from_db()
    return files
