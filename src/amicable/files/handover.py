"""What a creditor hands over and takes back: files, added claims, supporting documents, the
payments the debtor made to the creditor directly, withdrawals.

Each function is what one API call (or one line of an imported sheet) does; each is idempotent
on the creditor's own reference, so a client that retries after a timeout never creates anything
twice. The legal checks stay where they live: ``files.services.check_claim`` for every claim
(CEL art. XIX.2 and XIX.4), ``files.lifecycle`` for every state change, ``files.ledger`` for
every amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from amicable.domain.imputation import Component, Share
from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.documents import store_document
from amicable.files.lifecycle import change_file_state
from amicable.files.models import (
    Allocation,
    Claim,
    Creditor,
    Document,
    DocumentKind,
    EntryKind,
    EntrySource,
    File,
    LedgerEntry,
)
from amicable.files.services import (
    ClaimCheck,
    ClaimInput,
    CreatedFile,
    DebtorInput,
    FileInput,
    adjustment_events,
    check_claim,
    claim_row,
    create_files,
    initial_state,
)
from amicable.files.timeline import EventKind, record_event, record_events
from amicable.files.uploads import check_upload

# Where a file may still take a new claim, in the order of the collection: before the formal
# notice is sent, the notice can still itemise every amount (CEL art. XIX.7 §2).
_STAGES = {
    FileState.FIRST_REMINDER_PENDING: 0,
    FileState.GRACE_PERIOD: 1,
    FileState.FORMAL_NOTICE: 2,
}


class HandoverRefused(Exception):
    """A request that the rules refuse (nothing was written), with the reason."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- files ------------------------------------------------------------------------------------


def receive_files(
    *,
    creditor: Creditor,
    inputs: Sequence[FileInput],
    actor: str,
    today: date,
    checks: Sequence[Sequence[ClaimCheck]] | None = None,
) -> list[CreatedFile]:
    """Create the files (or find them again: idempotent), in one transaction.

    ``checks`` are the claims' checks already made by ``intake.rules`` (not made twice).
    Two requests with the same creditor reference at the same moment both miss the other's
    file, and one of them hits the unique constraint: it then runs again and finds the file the
    other created, so the client still gets its file rather than an error.
    """
    try:
        return create_files(
            creditor=creditor, inputs=inputs, actor=actor, today=today, checks=checks
        )
    except IntegrityError:
        return create_files(
            creditor=creditor, inputs=inputs, actor=actor, today=today, checks=checks
        )


# --- claims -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddedClaim:
    claim: Claim
    created: bool
    adjustments: tuple[str, ...] = field(default=())


@transaction.atomic
def add_claim(*, file: File, claim: ClaimInput, actor: str, today: date) -> AddedClaim:
    """Add a claim to an open file, through the same checks as at intake (CEL art. XIX.2, XIX.4).

    Idempotent on the claim's reference within the file. Policy: a claim is added only before
    the formal notice is sent (so the notice itemises it, CEL art. XIX.7 §2), and only if it
    does not need an earlier stage than the file has reached (a claim without a first reminder
    cannot join a file whose grace period runs: the lifecycle never moves back); otherwise the
    creditor sends it as a new file.
    """
    file = ledger.lock_file(file.pk)
    existing = file.claims.filter(creditor_reference=claim.creditor_reference).first()
    if existing is not None:
        return AddedClaim(claim=existing, created=False)
    state = file.file_state
    if file.formal_notice_sent_on is not None or (
        state is not FileState.NEW and state not in _STAGES
    ):
        raise HandoverRefused(
            f"The file is in state '{state}': a claim can only be added before the formal "
            "notice is sent (CEL art. XIX.7 §2: the notice itemises every amount). Send it as "
            "a new file."
        )
    check = check_claim(claim, today=today)
    needed = initial_state([check], today=today)
    if state is not FileState.NEW and _STAGES[needed] < _STAGES[state]:
        raise HandoverRefused(
            f"This claim needs the stage '{needed}' (CEL art. XIX.2) but the file has reached "
            f"'{state}', and a file never goes back: send the claim as a new file.",
            field="first_reminder_sent_on",
        )
    row = claim_row(file, claim, check, actor=actor, now=timezone.now())
    row.save()
    ledger.charge_principals([row], actor=actor, source=EntrySource.INTAKE)
    record_event(
        file,
        EventKind.CLAIM_ADDED,
        actor=actor,
        data={"claim": row.creditor_reference, "principal": str(row.principal)},
    )
    # The same adjustment events as at intake (trimmed indemnity, adjusted rate, missing
    # first reminder), built by the intake service itself so both read the same.
    as_file_input = FileInput(
        creditor_reference=file.creditor_reference,
        debtor=_debtor_input(file),
        claims=(claim,),
    )
    adjustments = adjustment_events(file, as_file_input, [check], actor=actor)
    record_events(adjustments)
    _touch(file)
    return AddedClaim(claim=row, created=True, adjustments=tuple(e.message for e in adjustments))


def _debtor_input(file: File) -> DebtorInput:
    debtor = file.debtor
    return DebtorInput(
        customer_reference=debtor.customer_reference,
        name=debtor.name,
        address=debtor.address,
        postal_code=debtor.postal_code,
        city=debtor.city,
        language=debtor.language,
        country=debtor.country,
        email=debtor.email,
        phone=debtor.phone,
        birth_date=debtor.birth_date,
    )


def _touch(file: File) -> None:
    """Mark the file as changed, so a client that syncs with updated_since sees it."""
    File.objects.filter(pk=file.pk).update(updated_at=timezone.now())


# --- documents --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredDocument:
    document: Document
    created: bool


@transaction.atomic
def store_creditor_document(
    *,
    file: File,
    kind: DocumentKind,
    upload: UploadedFile[bytes] | bytes,
    original_name: str,
    actor: str,
    claim: Claim | None = None,
) -> StoredDocument:
    """Store a supporting document of the debt, checked by ``files.uploads.check_upload``.

    The type is read from the content (PDF, JPEG, PNG), never from the name; the same content
    sent again for the same file and kind is not stored twice. Raises ``UploadRejected``.
    """
    checked = check_upload(upload)
    existing = Document.objects.filter(file=file, kind=kind, sha256=checked.sha256).first()
    if existing is not None:
        return StoredDocument(document=existing, created=False)
    document = store_document(
        file=file,
        upload=checked,
        original_name=original_name,
        kind=kind,
        uploaded_by=actor,
        claim=claim,
    )
    record_event(
        file,
        EventKind.DOCUMENT_UPLOADED,
        actor=actor,
        data={
            "kind": kind,
            "sha256": checked.sha256,
            "size": checked.size,
            "claim": claim.creditor_reference if claim else None,
        },
    )
    _touch(file)
    return StoredDocument(document=document, created=True)


# --- payments made to the creditor ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordedPayment:
    entry: LedgerEntry
    created: bool
    allocations: tuple[Share, ...]


def payment_source_reference(creditor: Creditor, payment_reference: str) -> str:
    """The ledger's key of a creditor's payment: creditors may use the same references."""
    return f"creditor:{creditor.pk}:{payment_reference}"


def record_creditor_payment(
    *,
    file: File,
    amount: Decimal,
    value_date: date,
    payment_reference: str,
    actor: str,
    note: str = "",
    payer_iban: str | None = None,
) -> RecordedPayment:
    """Book a payment that the debtor made to the creditor directly (not to the agency).

    It is imputed like any payment (old Civil Code art. 1253-1256, docs/legal.md, section 6), by
    ``files.ledger.post_payment``. Idempotent on the creditor's payment reference; the same
    reference with another amount, date or file is refused. The payer's IBAN, when the
    creditor knows it, is kept in the entry's note (it helps match the debtor's later payments).
    """
    note = note or f"Paid to the creditor, reference {payment_reference}."
    if payer_iban:
        note = f"{note} Paid from {payer_iban}."
    source_reference = payment_source_reference(file.creditor, payment_reference)
    existing = _find_payment(source_reference)
    if existing is not None:
        return _replayed(existing, file=file, amount=amount, value_date=value_date)
    try:
        posting = ledger.post_payment(
            file=file,
            amount=amount,
            value_date=value_date,
            actor=actor,
            source=EntrySource.API,
            source_reference=source_reference,
            kind=EntryKind.CREDITOR_PAYMENT,
            note=note,
        )
    except (IntegrityError, ledger.LedgerError):
        # The same payment posted at the same moment by another request: answer with it.
        existing = _find_payment(source_reference)
        if existing is None:
            raise
        return _replayed(existing, file=file, amount=amount, value_date=value_date)
    _touch(file)
    return RecordedPayment(entry=posting.entry, created=True, allocations=posting.shares)


def _find_payment(source_reference: str) -> LedgerEntry | None:
    return ledger.posted_payments(EntrySource.API, [source_reference]).first()


def _replayed(
    entry: LedgerEntry, *, file: File, amount: Decimal, value_date: date
) -> RecordedPayment:
    if entry.file_id != file.pk or entry.amount != -amount or entry.value_date != value_date:
        raise HandoverRefused(
            "This payment reference is already recorded with another amount, date or file; "
            "a payment reference names one payment.",
            field="payment_reference",
        )
    allocations = tuple(
        Share(claim_id=claim_id, component=Component(component), amount=amount)
        for claim_id, component, amount in Allocation.objects.filter(entry=entry)
        .order_by("id")
        .values_list("claim_id", "component", "amount")
    )
    return RecordedPayment(entry=entry, created=False, allocations=allocations)


# --- withdrawal -------------------------------------------------------------------------------


def withdraw_file(*, file: File, reason: str, actor: str, today: date) -> File:
    """Close a file at the creditor's request; the lifecycle decides whether it may close.

    Raises ``TransitionRefused`` with the reason (a paid file, for instance, is final).
    Withdrawing a closed file again changes nothing.
    """
    return change_file_state(
        file=file,
        new_state=FileState.CLOSED,
        actor=actor,
        reason=f"Withdrawn by the creditor: {reason}",
        on=today,
    )
