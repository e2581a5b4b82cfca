"""open_dispute and request_documents: suspension at once, evidence, queue and timeline."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.files.base import ContentFile

from amicable.disputes.errors import DisputeError
from amicable.disputes.models import (
    Dispute,
    DisputeReason,
    DocumentRequest,
    DocumentRequestStatus,
)
from amicable.disputes.opening import open_dispute, request_documents
from amicable.domain.contact import (
    ContactChannel,
    ContactPurpose,
    ContactRefusal,
    check_contact,
)
from amicable.domain.law import ChargeRefused, RefusalReason
from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import (
    Document,
    Event,
    File,
    LedgerEntry,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.uploads import check_upload
from tests.factories import make_file
from tests.portal.uploads import MINIMAL_PDF, png_bytes

pytestmark = pytest.mark.django_db

TODAY = date(2025, 5, 2)  # Friday
TUESDAY_NOON = datetime(2025, 5, 6, 10, 0, tzinfo=UTC)


def _file(state: FileState = FileState.FORMAL_NOTICE) -> File:
    file = make_file()
    if state != file.file_state:
        change_file_state(file=file, new_state=state, actor="test")
    return file


def test_reasoned_dispute_suspends_the_file_at_once() -> None:
    file = _file()
    evidence = [(check_upload(MINIMAL_PDF), "retour.pdf"), (check_upload(png_bytes()), "a.png")]
    dispute = open_dispute(
        file=file,
        reason=DisputeReason.RETURNED_ITEM,
        explanation="  J’ai renvoyé le colis le 3 mars.  ",
        evidence=evidence,
        today=TODAY,
        actor="portal",
    )
    file.refresh_from_db()
    assert file.state == FileState.DISPUTED
    dispute.refresh_from_db()
    assert (dispute.status, dispute.suspended_file, dispute.explanation) == (
        "open",
        True,
        "J’ai renvoyé le colis le 3 mars.",
    )
    documents = list(dispute.evidence.order_by("id"))
    assert [(d.kind, d.review_status, d.original_name) for d in documents] == [
        ("dispute_evidence", ReviewStatus.PENDING, "retour.pdf"),
        ("dispute_evidence", ReviewStatus.PENDING, "a.png"),
    ]
    item = WorkItem.objects.get()
    assert (item.kind, item.file, item.document) == (WorkItemKind.DISPUTE, file, documents[0])
    assert item.due_on == date(2025, 5, 16)  # 10 working days after Friday 2 May
    assert item.data == {
        "dispute_id": dispute.pk,
        "reason": "returned_item",
        "document_ids": [d.pk for d in documents],
        "suspended_file": True,
    }
    kinds = list(Event.objects.filter(file=file).values_list("kind", flat=True))
    assert kinds[-2:] == ["state_changed", "dispute_opened"]


def test_after_a_dispute_no_charge_is_booked_and_no_collection_contact_made() -> None:
    file = _file()
    open_dispute(
        file=file,
        reason=DisputeReason.SERVICE_DISPUTED,
        explanation="Le service n’a jamais fonctionné.",
        evidence=[],
        today=TODAY,
        actor="portal",
    )
    file.refresh_from_db()
    before = LedgerEntry.objects.count()
    with pytest.raises(ChargeRefused) as refused:
        ledger.charge_indemnity(claim=file.claims.get(), on=TODAY, actor="daily")
    assert refused.value.refusal.reason is RefusalReason.FILE_SUSPENDED
    with pytest.raises(ChargeRefused):
        ledger.book_interest(file=file, through=TODAY, actor="daily")
    assert LedgerEntry.objects.count() == before
    for channel in (ContactChannel.PHONE, ContactChannel.LETTER, ContactChannel.SMS):
        decision = check_contact(channel=channel, at=TUESDAY_NOON, state=file.file_state)
        assert (decision.allowed, decision.reason) == (False, ContactRefusal.FILE_DISPUTED)
    # Only what settles the dispute still goes out.
    acknowledgement = check_contact(
        channel=ContactChannel.LETTER,
        at=TUESDAY_NOON,
        state=file.file_state,
        purpose=ContactPurpose.DISPUTE_ACKNOWLEDGEMENT,
    )
    assert acknowledgement.allowed is True


@pytest.mark.parametrize(
    "state",
    [FileState.DEBT_MEDIATION, FileState.COLLECTIVE_SETTLEMENT, FileState.DISPUTED],
    ids=str,
)
def test_dispute_keeps_a_state_that_already_suspends(state: FileState) -> None:
    file = _file(state)
    dispute = open_dispute(
        file=file,
        reason=DisputeReason.NEVER_SIGNED,
        explanation="Je n’ai rien signé.",
        evidence=[],
        today=TODAY,
        actor="portal",
    )
    file.refresh_from_db()
    assert file.state == state
    assert dispute.suspended_file is False
    assert WorkItem.objects.get().kind == WorkItemKind.DISPUTE


def test_dispute_on_a_paid_file_is_recorded_for_review() -> None:
    file = _file(FileState.PAID)
    open_dispute(
        file=file,
        reason=DisputeReason.INVOICES_AFTER_CANCELLATION,
        explanation="Facture reçue après ma résiliation.",
        evidence=[],
        today=TODAY,
        actor="portal",
    )
    file.refresh_from_db()
    assert file.state == FileState.PAID
    assert Dispute.objects.get().suspended_file is False


def test_a_dispute_without_reasons_writes_nothing() -> None:
    file = _file()
    events = Event.objects.count()
    with pytest.raises(DisputeError):
        open_dispute(
            file=file,
            reason=DisputeReason.RETURNED_ITEM,
            explanation="   ",
            evidence=[(check_upload(MINIMAL_PDF), "x.pdf")],
            today=TODAY,
            actor="portal",
        )
    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE
    assert not Dispute.objects.exists()
    assert not Document.objects.exists()
    assert Event.objects.count() == events


def _supply(file: File, kind: str) -> Document:
    return Document.objects.create(
        file=file,
        kind=kind,
        content=ContentFile(MINIMAL_PDF, name=f"{kind}.pdf"),
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        size=len(MINIMAL_PDF),
        sha256="a" * 64,
        uploaded_by="creditor-api",
    )


def test_missing_documents_suspend_the_file_until_given() -> None:
    file = _file()
    _supply(file, "invoice")
    request = request_documents(
        file=file, kinds=["contract", "invoice"], today=TODAY, actor="portal"
    )
    assert (request.kinds, request.status, request.suspended_file) == (
        ["invoice", "contract"],
        DocumentRequestStatus.OPEN,
        True,
    )
    file.refresh_from_db()
    assert file.state == FileState.SUSPENDED
    item = WorkItem.objects.get()
    assert (item.kind, item.status, item.due_on) == (
        WorkItemKind.DOCUMENT_REQUEST,
        WorkItemStatus.OPEN,
        date(2025, 5, 6),  # Friday + 2 working days
    )
    assert item.data == {
        "document_request_id": request.pk,
        "kinds": ["invoice", "contract"],
        "missing": ["contract"],
    }
    with pytest.raises(ChargeRefused):
        ledger.charge_indemnity(claim=file.claims.get(), on=TODAY, actor="daily")
    decision = check_contact(channel=ContactChannel.PHONE, at=TUESDAY_NOON, state=file.file_state)
    assert decision.reason == ContactRefusal.FILE_SUSPENDED


def test_documents_already_supplied_are_given_at_once() -> None:
    file = _file()
    for kind in ("invoice", "contract", "general_terms"):
        _supply(file, kind)
    request = request_documents(
        file=file, kinds=["general_terms", "invoice"], today=TODAY, actor="portal"
    )
    assert (request.status, request.answered_on, request.suspended_file) == (
        DocumentRequestStatus.ANSWERED,
        TODAY,
        False,
    )
    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE
    item = WorkItem.objects.get()
    assert item.status == WorkItemStatus.DONE
    assert item.closed_by == "portal"


def test_documents_on_a_disputed_file_keep_it_disputed() -> None:
    file = _file(FileState.DISPUTED)
    request = request_documents(file=file, kinds=["contract"], today=TODAY, actor="portal")
    file.refresh_from_db()
    assert file.state == FileState.DISPUTED
    assert request.suspended_file is False


@pytest.mark.parametrize(
    "kinds", [[], ["letter"], ["invoice", "proof_of_payment"]], ids=["none", "letter", "mixed"]
)
def test_only_supporting_documents_can_be_asked_for(kinds: list[str]) -> None:
    file = _file()
    with pytest.raises(DisputeError):
        request_documents(file=file, kinds=kinds, today=TODAY, actor="portal")
    assert not DocumentRequest.objects.exists()
    assert not WorkItem.objects.exists()


def test_debtor_upload_is_stored_under_its_hash_not_its_name() -> None:
    file = _file()
    dispute = open_dispute(
        file=file,
        reason=DisputeReason.RETURNED_ITEM,
        explanation="Renvoyé.",
        evidence=[(check_upload(MINIMAL_PDF), "C:\\Users\\marie\\..\\preuve\x07.pdf")],
        today=TODAY,
        actor="portal",
    )
    document = dispute.evidence.get()
    assert document.original_name == "preuve.pdf"
    assert document.content.name.endswith(f"/{document.sha256}.pdf")
    assert document.content.read() == MINIMAL_PDF
    assert document.size == len(MINIMAL_PDF)
