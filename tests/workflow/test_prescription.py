"""The prescription clock per claim in the daily run (docs/legal.md, section 8).

A web shop's sale (old Civil Code art. 2272 al. 2: one year) due on 10 March 2024 is time-barred
from 11 March 2025, unless the debtor interrupted the period: a partial payment or a plan
request restarts it (a collection letter never does). A claim that reaches its period is no
longer collected: the file is held for an agent, nothing more is charged, no letter claims it,
a work item says which claim, and the portal says it is time-barred.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from amicable.disputes.holds import resume_collection
from amicable.domain.contact import ContactChannel, ContactRefusal
from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import LetterKind
from amicable.files import ledger
from amicable.files.models import Claim, File, LedgerEntry, WorkItem, WorkItemKind
from amicable.files.prescription import record_acknowledgement
from amicable.files.services import issue_access_code
from amicable.letters.guard import contact_of_kind, request_contact
from amicable.plans.requests import request_payment_plan
from amicable.workflow.models import LetterRequest
from tests.factories import claim_input, make_creditor, make_file
from tests.workflow.conftest import produce, run

pytestmark = pytest.mark.django_db

DUE = date(2024, 3, 10)
LAST_DAY = date(2025, 3, 10)


def _sale() -> File:
    creditor = make_creditor(sector="retail")
    claim = claim_input(
        creditor_reference="SALE-1",
        invoice_date=date(2024, 2, 24),
        due_date=DUE,
        principal=Decimal("300.00"),
        contract_date=date(2024, 2, 24),
        first_reminder_sent_on=date(2024, 3, 18),
        first_reminder_channel="electronic",
        interest_clause=True,
        interest_rate=Decimal("8"),
    )
    return make_file(creditor=creditor, claims=[claim], today=date(2024, 4, 2))


def _claim(file: File) -> Claim:
    return Claim.objects.get(file=file)


def test_the_claim_gets_its_sector_s_category() -> None:
    claim = _claim(_sale())
    assert claim.category is not None
    assert (claim.category.code, claim.category.period_months) == ("consumer_goods", 12)


def test_the_daily_run_stops_collecting_and_opens_a_work_item() -> None:
    file = _sale()
    run(date(2024, 6, 3))
    run(LAST_DAY)
    assert File.objects.get(pk=file.pk).state != FileState.SUSPENDED
    letters = LetterRequest.objects.filter(file=file).count()

    result = run(date(2025, 3, 11))

    file.refresh_from_db()
    claim = _claim(file)
    assert file.state == FileState.SUSPENDED
    assert claim.time_barred_on == date(2025, 3, 11)
    assert result.counts["claims_time_barred"] == 1
    item = WorkItem.objects.get(file=file, kind=WorkItemKind.TIME_BARRED)
    assert item.data["claims"] == ["SALE-1"]
    assert item.status == "open"
    # No letter claims it, nothing more is charged, whatever the days after bring.
    charged_before = LedgerEntry.objects.filter(file=file).count()
    run(date(2025, 3, 31))
    run(date(2025, 4, 30))
    assert LetterRequest.objects.filter(file=file).count() == letters
    assert LedgerEntry.objects.filter(file=file).count() == charged_before
    assert WorkItem.objects.filter(file=file, kind=WorkItemKind.TIME_BARRED).count() == 1


def test_a_partial_payment_restarts_the_clock() -> None:
    file = _sale()
    ledger.post_payment(
        file=file,
        amount=Decimal("50.00"),
        value_date=date(2024, 11, 20),
        actor="test",
        source="statement",
        source_reference="part-1",
    )
    claim = _claim(file)
    assert (claim.prescription_interrupted_on, claim.prescription_interruption) == (
        date(2024, 11, 20),
        "partial_payment",
    )
    run(date(2025, 3, 11))
    assert _claim(file).time_barred_on is None
    assert File.objects.get(pk=file.pk).state != FileState.SUSPENDED
    run(date(2025, 11, 21))
    assert _claim(file).time_barred_on == date(2025, 11, 21)
    assert File.objects.get(pk=file.pk).state == FileState.SUSPENDED


def test_a_plan_request_restarts_the_clock() -> None:
    file = _sale()
    run(date(2024, 6, 3))
    request_payment_plan(
        file=File.objects.get(pk=file.pk),
        instalment_count=3,
        first_due_on=date(2025, 1, 10),
        today=date(2025, 1, 6),
        actor="portal",
    )
    assert _claim(file).prescription_interrupted_on == date(2025, 1, 6)
    assert _claim(file).prescription_interruption == "plan_request"


def test_a_collection_letter_does_not_restart_it() -> None:
    """The letters the run sends (formal notice, reminders) interrupt nothing."""
    file = _sale()
    run(date(2024, 6, 3))
    run(date(2024, 7, 1))
    assert LetterRequest.objects.filter(file=file).exists()
    assert _claim(file).prescription_interrupted_on is None


def test_batch_and_single_paths_agree() -> None:
    batch_file, single_file = _sale(), _sale()
    run(date(2025, 3, 11), only=[single_file.pk])
    run(date(2025, 3, 11))
    rows = [
        (File.objects.get(pk=f.pk).state, _claim(f).time_barred_on)
        for f in (batch_file, single_file)
    ]
    assert rows[0] == rows[1] == (FileState.SUSPENDED, date(2025, 3, 11))
    assert WorkItem.objects.filter(kind=WorkItemKind.TIME_BARRED).count() == 2


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "Prescrite"),
        ("nl", "Verjaard"),
        ("de", "Verjährt"),
        ("en", "Time-barred"),
    ],
)
def test_the_portal_shows_it_as_time_barred(client: Client, language: str, words: str) -> None:
    file = _sale()
    run(date(2025, 3, 11))
    code = issue_access_code(file=file, actor="test")
    with time_machine.travel("2025-03-12 10:00 +01:00", tick=False):
        signed_in = client.post("/sign-in/", {"reference": file.reference, "code": code})
        assert signed_in.status_code == 302
        client.cookies["django_language"] = language
        html = client.get(f"/files/{file.reference}/").content.decode()
    assert f'<p class="notice time-barred">{words}' in html


def test_no_collection_letter_passes_the_guard_once_time_barred() -> None:
    """A letter queued before the claim was found time-barred cannot leave after: the contact
    guard refuses every collection contact on the held file (docs/legal.md, sections 4 and 8)."""
    file = _sale()
    run(date(2024, 6, 3))
    produce("formal_notice", on=date(2024, 6, 4), file=file)
    run(date(2024, 7, 1))
    assert File.objects.get(pk=file.pk).state == FileState.IN_COLLECTION
    run(date(2025, 3, 11))
    file.refresh_from_db()
    purpose, recipient = contact_of_kind(LetterKind.FOLLOW_UP_REMINDER)
    decision = request_contact(
        file=file,
        channel=ContactChannel.LETTER,
        purpose=purpose,
        recipient=recipient,
        actor="letters",
        at=datetime(2025, 3, 12, 10, 0, tzinfo=UTC),
        letter_kind=LetterKind.FOLLOW_UP_REMINDER,
    )
    assert (decision.allowed, decision.reason) == (False, ContactRefusal.FILE_SUSPENDED)


def test_a_hold_lifted_without_a_decision_is_held_again() -> None:
    """The agent must write the claim off or record the acknowledgement: lifting the hold alone
    does not make the run collect a time-barred claim."""
    file = _sale()
    run(date(2025, 3, 11))
    resume_collection(file=file, reason="Looked at it.", actor="agent", today=date(2025, 3, 12))
    assert File.objects.get(pk=file.pk).state != FileState.SUSPENDED
    run(date(2025, 3, 13))
    assert File.objects.get(pk=file.pk).state == FileState.SUSPENDED
    assert _claim(file).time_barred_on == date(2025, 3, 11)
    # Written off, the claim no longer holds the file.
    ledger.write_off_claims(
        claims=[_claim(file)], on=date(2025, 3, 14), actor="agent", reason="Time-barred."
    )
    resume_collection(file=file, reason="Written off.", actor="agent", today=date(2025, 3, 14))
    run(date(2025, 3, 17))
    assert File.objects.get(pk=file.pk).state != FileState.SUSPENDED


def test_an_acknowledgement_recorded_by_an_agent_makes_it_collectable_again() -> None:
    file = _sale()
    run(date(2025, 3, 11))
    record_acknowledgement(claims=[_claim(file)], on=date(2025, 2, 20))
    claim = _claim(file)
    assert (claim.time_barred_on, claim.prescription_interruption) == (None, "acknowledgement")
    resume_collection(file=file, reason="Acknowledged.", actor="agent", today=date(2025, 3, 12))
    run(date(2025, 3, 13))
    assert File.objects.get(pk=file.pk).state != FileState.SUSPENDED
    assert _claim(file).time_barred_on is None
