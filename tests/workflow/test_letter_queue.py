"""The letter queue as the letters batch reports on it: produced, refused, queued again."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amicable.domain.lifecycle import FileState
from amicable.files.models import Claim, Event, WorkItem, WorkItemKind
from amicable.workflow.letter_queue import (
    record_letter_refused,
    record_letters_produced,
    requeue_letter,
)
from amicable.workflow.models import LetterRequest, LetterStatus
from amicable.workflow.selectors import list_letters_due
from tests.workflow.conftest import MONDAY, pending_file, produce, run, state_of

pytestmark = pytest.mark.django_db


def grace(claim: Claim) -> tuple[date | None, date | None, date | None]:
    claim.refresh_from_db()
    return (claim.first_reminder_sent_on, claim.grace_last_day, claim.first_chargeable_day)


def test_first_reminder_counts_from_its_dispatch_not_its_queuing_xix2() -> None:
    # docs/legal.md, section 1: the 14 days run from the sending, never from the queuing.
    file = pending_file()
    run(MONDAY)
    claim = file.claims.get()
    assert grace(claim) == (None, None, None)
    assert state_of(file) is FileState.FIRST_REMINDER_PENDING

    # Sent on Wednesday 5 March by e-mail: from the 6th, 14 days end on Wednesday 19 March.
    assert produce("first_reminder", on=date(2025, 3, 5)) == 1

    assert grace(claim) == (date(2025, 3, 5), date(2025, 3, 19), date(2025, 3, 20))
    event = Event.objects.get(file=file, kind="first_reminder_dated")
    assert event.data == {"claims": [claim.creditor_reference], "sent_on": "2025-03-05"}
    # The period runs from the dispatch: the file says so at once.
    assert state_of(file) is FileState.GRACE_PERIOD
    run(date(2025, 3, 19))
    assert state_of(file) is FileState.GRACE_PERIOD
    run(date(2025, 3, 20))
    assert state_of(file) is FileState.FORMAL_NOTICE


def test_first_reminder_sent_the_day_it_was_queued_counts_from_that_day() -> None:
    file = pending_file()
    run(MONDAY)
    produce("first_reminder", on=MONDAY)
    assert grace(file.claims.get()) == (MONDAY, date(2025, 3, 17), date(2025, 3, 18))
    assert Event.objects.get(file=file, kind="first_reminder_dated").data["sent_on"] == (
        MONDAY.isoformat()
    )
    assert LetterRequest.objects.get(file=file).status == LetterStatus.PRODUCED


def test_refused_first_reminder_starts_no_period_until_sent_xix2() -> None:
    file = pending_file()
    run(MONDAY)
    letter = LetterRequest.objects.get(file=file)
    claim = file.claims.get()
    assert grace(claim) == (None, None, None)

    record_letter_refused(
        request_id=letter.pk, reason="Creditor address missing", actor="letters", on=MONDAY
    )

    assert grace(claim) == (None, None, None)
    item = WorkItem.objects.get(file=file)
    assert (item.kind, item.due_on, item.data) == (
        WorkItemKind.LETTER_REFUSED,
        MONDAY,
        {"letter_request": letter.pk},
    )
    assert item.title == "Free first reminder refused: Creditor address missing"
    # No new reminder every day, and never a notice on a period that never ran.
    run(date(2025, 3, 4))
    run(date(2025, 3, 31))
    assert LetterRequest.objects.filter(file=file).count() == 1
    assert state_of(file) is FileState.FIRST_REMINDER_PENDING

    requeue_letter(request_id=letter.pk, due_on=date(2025, 4, 1), actor="agent")
    run(date(2025, 4, 1))
    assert LetterRequest.objects.filter(file=file).count() == 1
    produce("first_reminder", on=date(2025, 4, 1))
    # E-mail of Tuesday 1 April: from the 2nd, 14 days end on Tuesday 15 April.
    assert grace(claim) == (date(2025, 4, 1), date(2025, 4, 15), date(2025, 4, 16))
    run(date(2025, 4, 16))
    assert state_of(file) is FileState.FORMAL_NOTICE


def test_letters_due_are_pending_and_due_oldest_first() -> None:
    files = [pending_file() for _ in range(3)]
    run(MONDAY)
    LetterRequest.objects.filter(file=files[1]).update(due_on=date(2025, 3, 2))
    LetterRequest.objects.filter(file=files[2]).update(due_on=date(2025, 3, 4))
    assert [letter.file_id for letter in list_letters_due(on=MONDAY)] == [
        files[1].pk,
        files[0].pk,
    ]


def test_only_pending_letters_are_produced_and_only_refused_ones_requeued() -> None:
    file = pending_file()
    run(MONDAY)
    letter = LetterRequest.objects.get(file=file)
    assert record_letters_produced(request_ids=[letter.pk], produced_on=MONDAY, actor="x") == 1
    assert record_letters_produced(request_ids=[letter.pk], produced_on=MONDAY, actor="x") == 0
    with pytest.raises(ValueError, match="Only a refused letter can be queued again"):
        requeue_letter(request_id=letter.pk, due_on=MONDAY, actor="agent")
    refused = record_letter_refused(request_id=letter.pk, reason="late", actor="x", on=MONDAY)
    assert refused.status == LetterStatus.PRODUCED
    assert not WorkItem.objects.exists()


def test_dispatching_many_reminders_costs_the_same_statements_as_a_few() -> None:
    # Set-based (docs/architecture.md): a post batch of a day's letters dates every claim and
    # starts every grace period in a fixed number of statements, whatever its size.
    files = [pending_file() for _ in range(12)]
    run(MONDAY)
    ids = list(LetterRequest.objects.order_by("pk").values_list("pk", flat=True))

    with CaptureQueriesContext(connection) as few:
        assert record_letters_produced(request_ids=ids[:2], produced_on=MONDAY, actor="x") == 2
    with CaptureQueriesContext(connection) as many:
        assert record_letters_produced(request_ids=ids[2:], produced_on=MONDAY, actor="x") == 10

    assert len(many.captured_queries) == len(few.captured_queries)
    assert {state_of(file) for file in files} == {FileState.GRACE_PERIOD}
