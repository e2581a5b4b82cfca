"""A file's state changes only as the lifecycle allows, one file or tens of thousands at once."""

from __future__ import annotations

from datetime import date

import pytest

from amicable.domain.lifecycle import FileState
from amicable.files.lifecycle import change_file_state, close_files_as_paid
from amicable.files.models import Event, File
from tests.factories import make_file, shown_to_debtor

pytestmark = pytest.mark.django_db


def test_close_files_as_paid_closes_each_on_its_day_with_its_event_civil_code_1234() -> None:
    in_collection, notice, closed, paid = (make_file() for _ in range(4))
    change_file_state(file=in_collection, new_state=FileState.WAITING_PERIOD, actor="t")
    change_file_state(file=in_collection, new_state=FileState.IN_COLLECTION, actor="t")
    change_file_state(file=closed, new_state=FileState.CLOSED, actor="t", on=date(2025, 4, 2))
    change_file_state(file=paid, new_state=FileState.PAID, actor="t", on=date(2025, 4, 3))
    events_before = Event.objects.filter(kind="state_changed").count()

    done = close_files_as_paid(
        {
            in_collection.pk: date(2025, 5, 6),
            notice.pk: date(2025, 5, 7),
            closed.pk: date(2025, 5, 8),  # final: a closed file is not reopened as paid
            paid.pk: date(2025, 5, 9),  # paid already: left as it is
            10**9: date(2025, 5, 9),  # no such file
        },
        actor="import",
        reason="paid in full (bank statement)",
    )

    assert done == sorted([in_collection.pk, notice.pk])
    rows = {
        f.pk: f
        for f in File.objects.filter(pk__in=[in_collection.pk, notice.pk, closed.pk, paid.pk])
    }
    assert rows[in_collection.pk].file_state is FileState.PAID
    assert rows[in_collection.pk].closed_on == date(2025, 5, 6)
    assert rows[notice.pk].closed_on == date(2025, 5, 7)
    assert rows[notice.pk].closed_reason == "paid in full (bank statement)"
    assert rows[closed.pk].file_state is FileState.CLOSED
    assert rows[closed.pk].closed_on == date(2025, 4, 2)
    assert rows[paid.pk].closed_on == date(2025, 4, 3)
    events = Event.objects.filter(kind="state_changed").order_by("id")[events_before:]
    assert [(e.file_id, e.data, e.actor, shown_to_debtor(e)) for e in events] == [
        (in_collection.pk, {"from": "in_collection", "to": "paid"}, "import", True),
        (notice.pk, {"from": "formal_notice", "to": "paid"}, "import", True),
    ]


def test_a_file_reopened_from_paid_is_not_closed_any_more() -> None:
    file = make_file()
    change_file_state(file=file, new_state=FileState.PAID, actor="t", on=date(2025, 4, 3))
    assert File.objects.get(pk=file.pk).closed_on == date(2025, 4, 3)

    change_file_state(file=file, new_state=FileState.FORMAL_NOTICE, actor="t", reason="returned")

    reopened = File.objects.get(pk=file.pk)
    assert reopened.file_state is FileState.FORMAL_NOTICE
    assert reopened.closed_on is None
    assert reopened.closed_reason == ""
