"""Debt mediation and collective debt settlement: every open file of the debtor stops."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from amicable.disputes.declarations import (
    MediatorContact,
    declare_collective_settlement,
    declare_debt_mediation,
)
from amicable.disputes.errors import DisputeError
from amicable.disputes.models import Declaration
from amicable.domain.contact import ContactChannel, ContactRefusal, Recipient, check_contact
from amicable.domain.law import ChargeRefused
from amicable.domain.lifecycle import FileState
from amicable.domain.money import ZERO
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import (
    Debtor,
    Document,
    Event,
    File,
    OverIndebtedness,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
)
from amicable.files.uploads import check_upload
from tests.factories import make_creditor, make_file
from tests.portal.uploads import MINIMAL_PDF

pytestmark = pytest.mark.django_db

TODAY = date(2025, 5, 2)  # Friday
CPAS = MediatorContact(
    name="Sophie Lambert",
    organisation="CPAS de Liège",
    email="mediation@cpas.example",
    phone="+32 4 220 00 00",
)


def _files() -> tuple[File, File, File, File]:
    """Three files of one debtor (one disputed, one paid) and a stranger's file."""
    creditor = make_creditor()
    first = make_file(creditor=creditor, customer_reference="ALICE")
    disputed = make_file(creditor=creditor, customer_reference="ALICE")
    paid = make_file(creditor=creditor, customer_reference="ALICE")
    stranger = make_file(creditor=creditor, customer_reference="BOB")
    change_file_state(file=disputed, new_state=FileState.DISPUTED, actor="test")
    change_file_state(file=paid, new_state=FileState.PAID, actor="test")
    return first, disputed, paid, stranger


def _state(file: File) -> str:
    return File.objects.get(pk=file.pk).state


def test_debt_mediation_suspends_every_open_file_of_the_debtor() -> None:
    first, disputed, paid, stranger = _files()
    declaration = declare_debt_mediation(file=first, mediator=CPAS, today=TODAY, actor="portal")
    assert _state(first) == FileState.DEBT_MEDIATION
    assert _state(disputed) == FileState.DISPUTED  # its dispute is reviewed first
    assert _state(paid) == FileState.PAID
    assert _state(stranger) == FileState.FORMAL_NOTICE
    assert set(declaration.files.all()) == {first, disputed}
    debtor = Debtor.objects.get(pk=first.debtor_id)
    assert (
        debtor.over_indebtedness,
        debtor.mediator_name,
        debtor.mediator_organisation,
        debtor.mediator_email,
        debtor.mediator_phone,
    ) == (
        OverIndebtedness.DEBT_MEDIATION,
        "Sophie Lambert",
        "CPAS de Liège",
        "mediation@cpas.example",
        "+32 4 220 00 00",
    )
    item = WorkItem.objects.get()
    assert (item.kind, item.due_on) == (WorkItemKind.DEBT_MEDIATION, date(2025, 5, 9))
    assert item.data["files"] == sorted([first.reference, disputed.reference])
    assert item.data["moved"] == [first.reference]
    assert Event.objects.filter(kind="debt_mediation_declared").count() == 2
    with pytest.raises(ChargeRefused):
        ledger.charge_indemnity(claim=first.claims.get(), on=TODAY, actor="daily")
    at = datetime(2025, 5, 6, 10, tzinfo=UTC)
    assert check_contact(
        channel=ContactChannel.PHONE, at=at, state=FileState.DEBT_MEDIATION
    ).reason == (ContactRefusal.DEBT_MEDIATION)
    assert check_contact(
        channel=ContactChannel.EMAIL,
        at=at,
        state=FileState.DEBT_MEDIATION,
        recipient=Recipient.MEDIATOR,
    ).allowed


def test_debt_mediation_needs_a_way_to_reach_the_mediator() -> None:
    first, *_ = _files()
    with pytest.raises(DisputeError):
        declare_debt_mediation(
            file=first, mediator=MediatorContact(name="X"), today=TODAY, actor="portal"
        )
    assert _state(first) == FileState.FORMAL_NOTICE
    assert not Declaration.objects.exists()


def test_collective_settlement_freezes_the_files_and_stops_interest() -> None:
    first, disputed, paid, stranger = _files()
    # Interest booked up to 30 April before the declaration, past the admissibility date.
    ledger.book_interest(file=first, through=date(2025, 4, 30), actor="daily")
    admissibility = date(2025, 4, 15)
    declaration = declare_collective_settlement(
        file=first,
        admissibility_date=admissibility,
        court_decision=(check_upload(MINIMAL_PDF), "ordonnance.pdf"),
        court_reference="25/123/B",
        mediator=MediatorContact(name="Maître Anne Collard", email="a.collard@avocat.example"),
        today=TODAY,
        actor="portal",
    )
    for file in (first, disputed):
        refreshed = File.objects.get(pk=file.pk)
        assert refreshed.state == FileState.COLLECTIVE_SETTLEMENT
        assert refreshed.interest_stops_on == admissibility
    assert _state(paid) == FileState.PAID
    assert File.objects.get(pk=stranger.pk).interest_stops_on is None
    debtor = Debtor.objects.get(pk=first.debtor_id)
    assert (debtor.over_indebtedness, debtor.admissibility_date, debtor.mediator_name) == (
        OverIndebtedness.COLLECTIVE_SETTLEMENT,
        admissibility,
        "Maître Anne Collard",
    )
    document = Document.objects.get()
    assert (document.kind, document.review_status, document.file) == (
        "court_decision",
        ReviewStatus.PENDING,
        first,
    )
    assert declaration.court_decision == document
    item = WorkItem.objects.get()
    assert (item.kind, item.document, item.due_on) == (
        WorkItemKind.COLLECTIVE_SETTLEMENT,
        document,
        date(2025, 5, 9),
    )
    assert item.data["admissibility_date"] == "2025-04-15"


def test_collective_settlement_books_interest_to_the_day_before_admissibility() -> None:
    """Judicial Code art. 1675/7: interest stops at admissibility. What ran before is owed and
    declared to the mediator; what was booked for the days after is taken back, by the ledger,
    at once (no agent has to reduce it)."""
    first, disputed, _paid, _stranger = _files()
    # 200.00 at 8 %, chargeable from 20 March. Booked through 30 April: 42 days,
    # 200 x 8 % x 42 / 365 = 1.841 -> 1.84.
    ledger.book_interest(file=first, through=date(2025, 4, 30), actor="daily")
    assert ledger.file_balance(first, as_of=date(2025, 4, 30)).interest_booked == Decimal("1.84")
    declare_collective_settlement(
        file=first,
        admissibility_date=date(2025, 4, 15),
        court_decision=(check_upload(MINIMAL_PDF), "ordonnance.pdf"),
        court_reference="25/123/B",
        mediator=MediatorContact(name="Maître Anne Collard", email="a.collard@avocat.example"),
        today=TODAY,
        actor="portal",
    )
    # To 14 April: 26 days, 200 x 8 % x 26 / 365 = 1.139 -> 1.13 on both files; 0.71 of the
    # first file's 1.84 taken back, 1.13 booked on the second, which had none.
    for file in (first, disputed):
        refreshed = File.objects.get(pk=file.pk)
        balance = ledger.file_balance(refreshed, as_of=date(2025, 9, 30))
        assert (balance.interest_booked, balance.interest_accrued) == (
            Decimal("1.13"),
            Decimal("0.00"),
        )
    item = WorkItem.objects.get()
    assert item.data["interest_to_admissibility"] == {
        first.reference: "-0.71",
        disputed.reference: "1.13",
    }
    event = Event.objects.get(file=first, kind="collective_settlement_declared")
    assert event.data["interest_to_admissibility"] == item.data["interest_to_admissibility"]
    # Declared again (the mediator sends a corrected decision): nothing more to correct.
    declare_collective_settlement(
        file=first,
        admissibility_date=date(2025, 4, 15),
        court_decision=(check_upload(MINIMAL_PDF), "ordonnance.pdf"),
        court_reference="25/123/B",
        mediator=MediatorContact(name="Maître Anne Collard", email="a.collard@avocat.example"),
        today=TODAY,
        actor="portal",
    )
    assert WorkItem.objects.latest("id").data["interest_to_admissibility"] == {}


def test_interest_stops_at_the_admissibility_date_in_the_balance() -> None:
    first, disputed, *_ = _files()
    declare_collective_settlement(
        file=disputed,
        admissibility_date=date(2025, 3, 25),
        court_decision=(check_upload(MINIMAL_PDF), "d.pdf"),
        court_reference="",
        mediator=MediatorContact(name="M", phone="+32 2 000 00 00"),
        today=TODAY,
        actor="portal",
    )
    refreshed = File.objects.get(pk=first.pk)
    # Interest ran 2025-03-20..2025-03-24 only: 200 x 8 % x 5 / 365 = 0.219 -> 0.21, booked at
    # the declaration. Nothing accrues after, and interest_stops_on holds if the procedure is
    # revoked.
    balance = ledger.file_balance(refreshed, as_of=date(2025, 6, 30))
    assert (balance.interest_booked, balance.interest_accrued) == (Decimal("0.21"), ZERO)
    change_file_state(file=refreshed, new_state=FileState.IN_COLLECTION, actor="test")
    refreshed = File.objects.get(pk=first.pk)
    balance = ledger.file_balance(refreshed, as_of=date(2025, 6, 30))
    assert (balance.interest_booked, balance.interest_accrued) == (Decimal("0.21"), ZERO)


def test_collective_settlement_cannot_be_dated_in_the_future() -> None:
    first, *_ = _files()
    with pytest.raises(DisputeError):
        declare_collective_settlement(
            file=first,
            admissibility_date=date(2025, 5, 3),
            court_decision=(check_upload(MINIMAL_PDF), "d.pdf"),
            court_reference="",
            mediator=MediatorContact(name="M", phone="1"),
            today=TODAY,
            actor="portal",
        )
    assert _state(first) == FileState.FORMAL_NOTICE
    assert not Document.objects.exists()
