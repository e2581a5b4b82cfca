"""Erasure at the end of the retention periods (docs/legal.md, section 7), through time: a year
after a file closed unpaid or withdrawn, seven years after one closed paid, a year for what is
tied to no file. Personal data goes; every amount stays.

The cast, on Monday 12 May 2025 in Brussels:

- Alice: file A1 paid in full by a bank transfer of 9 May (closed paid that day), with a proof
  she uploaded, a letter, a portal sign-in from her address and an agent who opened it; file A2
  withdrawn on 12 May;
- Bob: file B1 withdrawn on 12 May, file B2 still open;
- Carol: file C1 paid on 9 May;
- no file: a phishing report, a failed staff sign-in, a bank movement nobody claimed (ignored),
  another still waiting for an agent, all of 12 May; a phishing report of 1 June 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import LazySettings
from django.core.management import call_command
from django.http import Http404
from django.test import Client

from amicable.backoffice import authentication as staff_authentication
from amicable.backoffice.models import SignInFailure
from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import LetterKind
from amicable.files.downloads import serve_document
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Allocation, Debtor, Document, Event, File, LedgerEntry
from amicable.files.services import issue_access_code
from amicable.files.uploads import check_upload
from amicable.letters.models import SentLetter
from amicable.letters.services import produce_letter
from amicable.payments.decisions import split_movement
from amicable.payments.models import BankMovementRecord, DebtorAccount, MovementStatus
from amicable.phishing.models import PhishingReport
from amicable.phishing.reports import report_phishing
from amicable.portal import authentication as portal_authentication
from amicable.portal.models import ThrottledAttempt
from amicable.privacy.models import FileRead
from amicable.privacy.reads import record_file_read
from amicable.privacy.retention import apply_retention
from amicable.proofs.submission import DeclaredPayment, submit_proof_of_payment
from tests.factories import make_creditor
from tests.payments.helpers import coda, credit, import_bytes, movement_of, plain_file
from tests.portal.conftest import LETTER_AGENCY
from tests.portal.uploads import MINIMAL_PDF

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
ALICE_IBAN = "BE68539007547034"
ALICE_ADDRESS = "198.51.100.23"


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class World:
    a1: File
    a2: File
    b1: File
    b2: File
    c1: File
    a1_code: str
    media: Path


@pytest.fixture(autouse=True)
def _agency(settings: LazySettings) -> None:
    settings.AMICABLE_AGENCY = LETTER_AGENCY


@pytest.fixture
def world(settings: LazySettings) -> World:
    with time_machine.travel(_at(2025, 5, 12, 10, 0), tick=False):
        creditor = make_creditor()
        a1 = plain_file(
            creditor=creditor, customer_reference="ALICE", name="Alice Leroy", language="fr"
        )
        a2 = plain_file(creditor=creditor, customer_reference="ALICE", name="Alice Leroy")
        b1 = plain_file(creditor=creditor, customer_reference="BOB", name="Bob Martin")
        b2 = plain_file(creditor=creditor, customer_reference="BOB", name="Bob Martin")
        c1 = plain_file(creditor=creditor, customer_reference="CAROL", name="Carol Denis")
        # A1 and C1 paid in full by transfer on 9 May; a movement nobody claims, and one an
        # agent still has to look at.
        report = import_bytes(
            coda(
                credit(
                    "200.00",
                    ogm=a1.structured_communication,
                    name="ALICE LEROY",
                    account=ALICE_IBAN,
                ),
                credit("200.00", ogm=c1.structured_communication, name="CAROL DENIS"),
                credit("15.00", text="don", name="JEAN INCONNU", account="BE62510007547061"),
                credit("42.00", text="?", name="PAUL ATTEND", account="BE43068999999501"),
            )
        )
        ignored = movement_of(report, 2)
        BankMovementRecord.objects.filter(pk=ignored.pk).update(status=MovementStatus.IGNORED)
        submit_proof_of_payment(
            file=a1,
            upload=check_upload(MINIMAL_PDF),
            original_name="extrait-alice-leroy.pdf",
            declared=DeclaredPayment(paid_to="agency", amount=Decimal("200.00")),
            today=date(2025, 5, 12),
            actor="portal",
        )
        code = issue_access_code(file=a1, actor="test")
        assert portal_authentication.sign_in(
            reference=a1.reference, code=code, client_ip=ALICE_ADDRESS, now=_at(2025, 5, 12, 10)
        ).file
        record_file_read(actor="staff:anna", file=a1, at=_at(2025, 5, 12, 10))
        assert produce_letter(
            file=a2, kind=LetterKind.FORMAL_NOTICE, actor="test", on=date(2025, 5, 12)
        ).produced
        for withdrawn in (a2, b1):
            change_file_state(
                file=withdrawn,
                new_state=FileState.CLOSED,
                actor="api:creditor",
                reason="Withdrawn: the debtor is in hospital.",
                on=date(2025, 5, 12),
            )
        report_phishing(
            channel="email",
            received_on=date(2025, 5, 11),
            sender="recouvrement@arnaque.example",
            content="Payez maintenant, Madame Leroy.",
            reporter_email="alice@example.be",
            today=date(2025, 5, 12),
        )
        staff_authentication.check_password(
            username="alice@example.be",
            password="wrong",
            client_ip="203.0.113.9",
            now=_at(2025, 5, 12, 10),
        )
    with time_machine.travel(_at(2025, 6, 1, 10, 0), tick=False):
        report_phishing(
            channel="text",
            received_on=None,
            sender="",
            content="Recent message.",
            reporter_email="",
            today=date(2025, 6, 1),
        )
    for file in (a1, a2, b1, b2, c1):
        file.refresh_from_db()
    return World(a1=a1, a2=a2, b1=b1, b2=b2, c1=c1, a1_code=code, media=Path(settings.MEDIA_ROOT))


def _money() -> list[tuple[object, ...]]:
    """Every amount of the ledger and of its allocations."""
    return list(
        LedgerEntry.objects.order_by("pk").values_list("pk", "file_id", "kind", "amount")
    ) + list(Allocation.objects.order_by("pk").values_list("pk", "entry_id", "amount"))


def _stored(world: World, document: Document) -> Path:
    return world.media / document.content.name


def test_the_closing_days_the_periods_count_from(world: World) -> None:
    assert (world.a1.state, world.a1.closed_on) == (FileState.PAID, date(2025, 5, 9))
    assert (world.c1.state, world.c1.closed_on) == (FileState.PAID, date(2025, 5, 9))
    assert (world.a2.state, world.a2.closed_on) == (FileState.CLOSED, date(2025, 5, 12))


def test_nothing_is_erased_the_day_before_the_year_is_over(world: World) -> None:
    with time_machine.travel(_at(2026, 5, 11, 2, 0), tick=False):
        report = apply_retention(today=date(2026, 5, 11))

    assert not File.objects.filter(erased_on__isnull=False).exists()
    # Only the movement booked on 9 May 2025 is a year old (with the payer's name in its queue
    # item's title), and the throttle keys of Alice's sign-in, which hold no attempt any more.
    assert {kind: n for kind, n in report.counts.items() if n} == {
        "bank movements tied to no file": 1,
        "work items of no file": 1,
        "throttle keys": 2,
    }


def test_a_dry_run_counts_and_changes_nothing(world: World) -> None:
    money, events = _money(), list(Event.objects.values_list("pk", "message", "data", "actor"))
    document = SentLetter.objects.get(file=world.a2).document

    with time_machine.travel(_at(2026, 5, 12, 2, 0), tick=False):
        report = apply_retention(today=date(2026, 5, 12), dry_run=True)

    assert report.dry_run
    counts = report.counts
    assert counts["files closed unpaid or withdrawn (1 year)"] == 2
    assert counts["files closed paid (7 years)"] == 0
    assert counts["debtors"] == 0  # Alice's A1 and Bob's B2 are still kept
    assert counts["documents"] == 1  # A2's letter
    assert counts["letters"] == 1
    assert counts["phishing reports"] == 1
    assert counts["staff sign-in failures"] == 2  # per user name and per address
    assert counts["bank movements tied to no file"] == 1
    assert counts["events"] > 0
    assert _money() == money
    assert list(Event.objects.values_list("pk", "message", "data", "actor")) == events
    assert _stored(world, document).exists()
    assert not File.objects.filter(erased_on__isnull=False).exists()
    assert PhishingReport.objects.filter(content="").count() == 0


def test_a_year_after_closing_unpaid_the_files_data_goes_and_its_debtor_stays_if_kept(
    world: World,
) -> None:
    letter = SentLetter.objects.get(file=world.a2)
    letter_path = _stored(world, letter.document)
    money = _money()

    with time_machine.travel(_at(2026, 5, 12, 2, 0), tick=False):
        report = apply_retention(today=date(2026, 5, 12))

    assert report.counts["files closed unpaid or withdrawn (1 year)"] == 2
    erased = set(File.objects.filter(erased_on=date(2026, 5, 12)).values_list("pk", flat=True))
    assert erased == {world.a2.pk, world.b1.pk}
    # The letter's PDF left storage; its row stays, marked erased.
    letter.refresh_from_db()
    letter.document.refresh_from_db()
    assert not letter_path.exists()
    assert (letter.address, letter.content) == ("", {})
    assert letter.document.erased_at is not None
    assert (letter.document.content.name, letter.document.sha256) == ("", letter.sha256)
    with pytest.raises(Http404):
        serve_document(letter.document)
    # The creditor's reason could say anything about the person: it goes, on the file and on
    # its timeline.
    b1 = File.objects.get(pk=world.b1.pk)
    assert (b1.closed_reason, b1.state, b1.closed_on) == ("", FileState.CLOSED, date(2025, 5, 12))
    assert not Event.objects.filter(file=b1).exclude(message="").exists()
    assert Event.objects.get(file=b1, kind="personal_data_erased").data == {
        "retention": "closed_file"
    }
    # Alice and Bob keep their names: each has a file still kept.
    assert set(Debtor.objects.values_list("name", flat=True)) == {
        "Alice Leroy",
        "Bob Martin",
        "Carol Denis",
    }
    assert DebtorAccount.objects.filter(iban=ALICE_IBAN).exists()
    # What is tied to no file, a year old, goes; younger stays.
    assert list(PhishingReport.objects.order_by("pk").values_list("content", "reporter_email")) == [
        ("", ""),
        ("Recent message.", ""),
    ]
    assert not SignInFailure.objects.exists()
    failed = Event.objects.get(kind="staff_sign_in_failed")
    assert (failed.actor, failed.data) == ("erased", {})
    ignored = BankMovementRecord.objects.get(status=MovementStatus.IGNORED)
    assert (ignored.counterparty_name, ignored.counterparty_account) == ("", "")
    waiting = BankMovementRecord.objects.get(status=MovementStatus.UNMATCHED)
    assert waiting.counterparty_name == "PAUL ATTEND"
    assert _money() == money
    # Run again the same day: nothing left to do.
    with time_machine.travel(_at(2026, 5, 12, 3, 0), tick=False):
        assert apply_retention(today=date(2026, 5, 12)).counts.total() == 0
        # Bob no longer finds his erased file in the portal, only the one still open.
        bob = Client()
        code = issue_access_code(file=world.b2, actor="test")
        bob.post("/sign-in/", {"reference": world.b2.reference, "code": code})
        files = bob.get("/files/").content.decode()
        assert world.b2.reference in files
        assert world.b1.reference not in files
        assert bob.get(f"/files/{world.b1.reference}/").status_code == 404


def test_seven_years_after_paid_the_debtor_is_erased_and_every_amount_stays(
    world: World,
) -> None:
    proof = Document.objects.get(file=world.a1, kind="proof_of_payment")
    proof_path = _stored(world, proof)
    money = _money()
    with time_machine.travel(_at(2026, 5, 12, 2, 0), tick=False):
        apply_retention(today=date(2026, 5, 12))
    with time_machine.travel(_at(2032, 5, 8, 2, 0), tick=False):
        assert apply_retention(today=date(2032, 5, 8)).counts["files closed paid (7 years)"] == 0

    with time_machine.travel(_at(2032, 5, 9, 2, 0), tick=False):
        report = apply_retention(today=date(2032, 5, 9))

    assert report.counts["files closed paid (7 years)"] == 2
    assert report.counts["debtors"] == 2  # Alice and Carol; Bob's B2 is open
    alice = Debtor.objects.get(pk=world.a1.debtor_id)
    assert (alice.name, alice.address, alice.postal_code, alice.city, alice.email) == (
        "erased",
        "",
        "",
        "",
        "",
    )
    assert alice.customer_reference == f"erased-{alice.pk}"
    assert alice.erased_on == date(2032, 5, 9)
    assert not DebtorAccount.objects.filter(debtor=alice).exists()
    assert Debtor.objects.get(pk=world.b1.debtor_id).name == "Bob Martin"
    # Her proof's content is gone from storage; its row stays.
    proof.refresh_from_db()
    assert not proof_path.exists()
    assert (proof.content.name, proof.original_name, proof.kind) == ("", "", "proof_of_payment")
    # Her payment: the amount stays, the payer's name and account go.
    movement = BankMovementRecord.objects.get(file=world.a1)
    assert (movement.amount, movement.counterparty_name, movement.counterparty_account) == (
        Decimal("200.000"),
        "",
        "",
    )
    # Her sign-in stays on the timeline, without her address; the record of the agent's reading
    # goes with the file.
    sign_in = Event.objects.get(file=world.a1, kind="portal_sign_in")
    assert sign_in.data == {}
    assert ALICE_ADDRESS not in str(list(Event.objects.values_list("data", flat=True)))
    assert not FileRead.objects.exists()
    # The ledger and its allocations, untouched.
    assert _money() == money
    # Her access code opens nothing any more.
    refused = portal_authentication.sign_in(
        reference=world.a1.reference, code=world.a1_code, client_ip="1", now=_at(2032, 5, 9, 9)
    )
    assert refused.outcome is portal_authentication.SignInOutcome.REFUSED
    assert ThrottledAttempt.objects.exists()


def test_the_command_says_what_it_did_or_would_do(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    with time_machine.travel(_at(2026, 5, 12, 2, 0), tick=False):
        call_command("apply_retention", "--dry-run", "--date", "2026-05-12")
        dry = capsys.readouterr().out
        call_command("apply_retention", "--date", "2026-05-12")
        done = capsys.readouterr().out
        call_command("apply_retention", "--date", "2026-05-12")
        again = capsys.readouterr().out

    assert dry.startswith("Retention on 2026-05-12. Dry run, nothing written:\n")
    assert "  files closed unpaid or withdrawn (1 year): 2\n" in dry
    assert done.startswith("Retention on 2026-05-12. Erased:\n")
    assert "  files closed unpaid or withdrawn (1 year): 2\n" in done
    assert again == "Retention on 2026-05-12. Erased:\n  nothing\n"


def test_a_payment_split_over_two_files_keeps_its_payer_while_one_file_is_kept() -> None:
    """A family paid two files at once: the payer stays known while either file is kept."""
    with time_machine.travel(_at(2025, 5, 12, 10, 0), tick=False):
        creditor = make_creditor()
        first = plain_file("100.00", creditor=creditor, customer_reference="ANN")
        second = plain_file("100.00", creditor=creditor, customer_reference="TOM")
        report = import_bytes(coda(credit("150.00", text="?", name="FAMILLE PIRE")))
        movement = movement_of(report)
        split_movement(
            movement=movement,
            parts=[(first, Decimal("100.00")), (second, Decimal("50.00"))],
            actor="staff:anna",
            today=date(2025, 5, 12),
        )
        change_file_state(
            file=second,
            new_state=FileState.CLOSED,
            actor="api:creditor",
            reason="Withdrawn.",
            on=date(2025, 5, 12),
        )
    first.refresh_from_db()
    assert (first.state, first.closed_on) == (FileState.PAID, date(2025, 5, 9))

    with time_machine.travel(_at(2026, 5, 12, 2, 0), tick=False):
        apply_retention(today=date(2026, 5, 12))
    movement.refresh_from_db()
    assert File.objects.get(pk=second.pk).erased_on == date(2026, 5, 12)
    assert movement.counterparty_name == "FAMILLE PIRE"

    with time_machine.travel(_at(2032, 5, 9, 2, 0), tick=False):
        erased = apply_retention(today=date(2032, 5, 9))
    movement.refresh_from_db()
    assert movement.counterparty_name == ""
    assert erased.counts["bank movements"] == 1
