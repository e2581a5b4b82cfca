"""``files.bulk``: plain rows in, the same rows as ``bulk_create`` would write."""

from __future__ import annotations

import gc
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from amicable.domain.imputation import Component
from amicable.files.bulk import copy_rows, cyclic_gc_paused, reserve_keys
from amicable.files.chain import verify
from amicable.files.ledger.writes import new_entry, write_entries
from amicable.files.models import EntryKind, EntrySource, Event, LedgerEntry
from amicable.files.timeline import EventKind, EventRow, record_events
from amicable.payments.models import DebtorAccount
from amicable.workflow.models import LetterRequest
from tests.factories import make_file, shown_to_debtor

pytestmark = pytest.mark.django_db


def test_copy_rows_fills_defaults_and_the_time_and_keeps_json() -> None:
    file = make_file()
    before = Event.objects.count()
    copy_rows(
        Event,
        ("file_id", "kind", "actor", "message", "data"),
        [
            (file.pk, "payment_posted", "import", "", {"amount": "10.00", "n": [1, 2]}),
            (file.pk, "overpayment", "import", "Vous avez payé 1,00 €", {}),
        ],
    )
    rows = list(Event.objects.order_by("id")[before:])
    assert [(e.kind, e.data, e.message, shown_to_debtor(e)) for e in rows] == [
        ("payment_posted", {"amount": "10.00", "n": [1, 2]}, "", True),
        ("overpayment", {}, "Vous avez payé 1,00 €", True),
    ]
    assert all(e.at is not None and e.file_id == file.pk for e in rows)


def test_copy_rows_skips_conflicts_only_when_asked() -> None:
    debtor_id = make_file().debtor_id
    row = (debtor_id, "BE68539007547034", date(2025, 5, 12))
    copy_rows(DebtorAccount, ("debtor_id", "iban", "first_seen_on"), [row])
    copy_rows(
        DebtorAccount,
        ("debtor_id", "iban", "first_seen_on"),
        [row, (debtor_id, "BE71096123456769", date(2025, 5, 12))],
        ignore_conflicts=True,
    )
    assert sorted(DebtorAccount.objects.values_list("iban", flat=True)) == [
        "BE68539007547034",
        "BE71096123456769",
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_rows(DebtorAccount, ("debtor_id", "iban", "first_seen_on"), [row])


@pytest.mark.django_db(databases=[])
def test_the_cycle_collector_pauses_for_a_batch_and_resumes_whatever_happens() -> None:
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), cyclic_gc_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # paused by someone else: left as it was
    finally:
        gc.enable()


def test_reserved_keys_are_taken_by_no_other_insert() -> None:
    """Keys reserved for rows written later in the transaction: the table's own inserts, and a
    second reservation, pass them by (PostgreSQL's sequence; SQLite's ``sqlite_sequence``)."""
    file = make_file()
    with transaction.atomic():
        reserved = reserve_keys(DebtorAccount, 3)
        again = reserve_keys(DebtorAccount, 2)
        account = DebtorAccount.objects.create(
            debtor_id=file.debtor_id, iban="BE68539007547034", first_seen_on=date(2025, 5, 12)
        )
        copy_rows(
            DebtorAccount,
            ("id", "debtor_id", "iban", "first_seen_on"),
            [
                (key, file.debtor_id, f"BE71096123456{n:03d}", date(2025, 5, 12))
                for n, key in enumerate([*reserved, *again])
            ],
        )
    assert reserve_keys(DebtorAccount, 0) == []
    assert len(set(reserved) | set(again)) == 5
    assert account.pk not in {*reserved, *again}
    assert DebtorAccount.objects.count() == 6


def test_events_written_together_keep_their_data_whole() -> None:
    """An event's data is inserted as the JSON text its seal hashed, or, where personal keys
    were set apart from what is hashed, as given: either way read back as written."""
    file = make_file()
    rows = [
        EventRow(file.pk, EventKind.PAYMENT_POSTED, "import", "", {"n": [1, 2.5], "b": {"z": 1}}),
        EventRow(file.pk, EventKind.PORTAL_SIGN_IN, "debtor", "", {"ip": "192.0.2.1", "at": "x"}),
        EventRow(file.pk, EventKind.STATE_CHANGED, "daily-run", "Paid.", {}),
    ]
    before = Event.objects.count()
    with transaction.atomic():
        record_events(rows)
    written = list(Event.objects.order_by("id")[before:].values_list("kind", "data", "message"))
    assert written == [(row.kind.value, row.data, row.message) for row in rows]
    assert verify([file.pk]) == []


class _Account(Enum):
    """An enumeration that is not text: written by its value, never its name."""

    BELFIUS = "BE68539007547034"


class _Kind(StrEnum):
    PAYMENT = "payment_posted"


def test_copy_rows_writes_an_enumeration_as_its_value() -> None:
    file = make_file()
    copy_rows(
        DebtorAccount,
        ("debtor_id", "iban", "first_seen_on"),
        [(file.debtor_id, _Account.BELFIUS, date(2025, 5, 12))],
    )
    before = Event.objects.count()
    copy_rows(Event, ("file_id", "kind", "actor"), [(file.pk, _Kind.PAYMENT, "import")])
    assert list(DebtorAccount.objects.values_list("iban", flat=True)) == ["BE68539007547034"]
    assert [e.kind for e in Event.objects.order_by("id")[before:]] == ["payment_posted"]


def test_every_column_type_reads_back_as_written() -> None:
    """On PostgreSQL the rows go in binary (amounts, days, moments and JSON as they are, no
    text to parse), in text where a value is of another class (a day given as text): either
    way they read back as given, and the books' seal, computed from the values in memory,
    agrees with what the database holds."""
    file = make_file()
    claim = file.claims.get()
    note = 'tab\there, line\nthere, a back\\slash, "quotes", é and €'
    written = [
        new_entry(
            file_id=file.pk,
            claim_id=claim.pk,
            kind=EntryKind.CHARGE,
            component=Component.INTEREST,
            amount=Decimal("1234567.89"),
            value_date=date(2025, 6, 30),
            period_start=date(2025, 6, 1),
            period_end=date(2025, 6, 30),
            source=EntrySource.SYSTEM,
            actor="daily-run",
            note=note,
        ),
        new_entry(
            file_id=file.pk,
            kind=EntryKind.PAYMENT,
            amount=Decimal("-0.01"),
            value_date=date(2025, 7, 1),
            source=EntrySource.STATEMENT,
            source_reference="+++090/9337/55493+++",
            actor="import",
        ),
    ]
    with transaction.atomic():
        write_entries(written)
    read = LedgerEntry.objects.filter(pk__in=[entry.pk for entry in written]).order_by("pk")
    month_start, month_end = date(2025, 6, 1), date(2025, 6, 30)
    moments = [entry.booked_at for entry in written]
    assert [
        (e.claim_id, e.amount, e.value_date, e.period_start, e.period_end, e.note, e.booked_at)
        for e in read
    ] == [
        (claim.pk, Decimal("1234567.89"), month_end, month_start, month_end, note, moments[0]),
        (None, Decimal("-0.01"), date(2025, 7, 1), None, None, "", moments[1]),
    ]
    assert all(moment is not None and moment.tzinfo is not None for moment in moments)
    # A day given as text, as a caller outside the writers might: written all the same.
    copy_rows(
        DebtorAccount,
        ("debtor_id", "iban", "first_seen_on"),
        [(file.debtor_id, "BE68539007547034", "2025-05-12")],
    )
    assert list(DebtorAccount.objects.values_list("first_seen_on", flat=True)) == [
        date(2025, 5, 12)
    ]
    assert verify([file.pk]) == []


def test_a_row_unlike_the_first_is_refused_and_nothing_is_written() -> None:
    """The first row chooses how the rows are written (binary on PostgreSQL when its values fit
    their columns); a later row with a value of another class in a column is a mistake of the
    caller, refused with the row's number, and none of the rows is kept."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes each row through the ORM, which converts any value")
    file = make_file()
    with pytest.raises(TypeError, match="Row 2 for"), transaction.atomic():
        copy_rows(
            DebtorAccount,
            ("debtor_id", "iban", "first_seen_on"),
            [
                (file.debtor_id, "BE68539007547034", date(2025, 5, 12)),
                (file.debtor_id, "BE71096123456769", 20250513),
            ],
        )
    assert not DebtorAccount.objects.exists()


def test_a_json_columns_none_is_sqls_null_as_the_orm_writes_it() -> None:
    """Refused by a column that must hold a value, in binary and in text alike (the writers
    give an object or a list; an enumeration that is not text sends the rows to text)."""
    file = make_file()
    for first in [
        (file.pk, "payment_posted", "x", {}),
        (file.pk, _Kind.PAYMENT, _Account.BELFIUS, {}),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            copy_rows(
                Event,
                ("file_id", "kind", "actor", "data"),
                [first, (file.pk, "payment_posted", "x", None)],
            )
    assert not Event.objects.filter(actor="x").exists()


def test_a_whole_number_beyond_its_columns_range_is_refused() -> None:
    """As the database refuses it in text; in binary the driver would keep its lowest bits
    (70,000 would become 4,464)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's integers have no range but their own")
    file = make_file()
    fields = ("file_id", "kind", "cycle", "step", "channel", "due_on", "requested_at")
    row = (file.pk, "formal_notice", 1, 2, "paper", date(2025, 5, 12), timezone.now())
    with pytest.raises(DataError), transaction.atomic():
        copy_rows(LetterRequest, (*fields, "requested_by"), [(*row[:2], 70_000, *row[3:], "x")])
    assert not LetterRequest.objects.exists()
    copy_rows(LetterRequest, (*fields, "requested_by"), [(*row, "x")])
    assert list(LetterRequest.objects.values_list("cycle", "step")) == [(1, 2)]
