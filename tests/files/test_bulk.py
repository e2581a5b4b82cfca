"""``files.bulk``: plain rows in, the same rows as ``bulk_create`` would write."""

from __future__ import annotations

import gc
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from amicable.files.bulk import copy_rows, cyclic_gc_paused
from amicable.files.models import Event
from amicable.payments.models import DebtorAccount
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
