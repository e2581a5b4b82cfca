"""Bank statement import, payment posting, returns and refunds, and the agents' actions.

:func:`import_statement_file` reads a CODA or camt.053 file and, in **one transaction**:

1. stores the file once (unique sha256: the same file again books nothing, and of two imports
   of it at the same moment the second waits for the first and then finds it imported);
2. stores its statements and movements with ``ON CONFLICT DO NOTHING`` on their identities,
   then works **only on the movements this import inserted**: a movement already read from an
   overlapping statement is not booked again (docs/architecture.md, invariant 3);
3. matches the incoming payments to files (:mod:`amicable.payments.matching`) and posts each
   through ``amicable.files.ledger.post_payment``, which brings interest to the value date and
   then imputes (docs/legal.md, section 6; old Civil Code art. 1253-1256). What is left over is a
   credit, recorded as a :class:`Refund` to pay back;
4. closes as PAID the files that owe nothing any more (payment extinguishes the debt, old Civil
   Code art. 1234), confirms the debtors' pending proofs of payment that the movement bears out,
   and learns the account each debtor paid from;
5. handles outgoing movements: a payment returned by the bank reverses its posting (and reopens
   a file it had closed as paid, at the stage it had reached), a refund we ordered is marked
   paid; anything else is recorded as not ours, with the reason, never dropped;
6. queues what it cannot match as an ``unmatched_movement`` work item, due in 2 working days,
   with suggestions.

Agents then :func:`assign_movement`, :func:`split_movement`, :func:`mark_for_refund` or
:func:`dismiss_movement` from the queue.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amicable.domain.calendar import add_working_days
from amicable.domain.lifecycle import (
    ALLOWED_TRANSITIONS,
    OPEN_STATES,
    FileState,
)
from amicable.domain.money import CENT, ZERO, format_eur
from amicable.domain.references import classify_reference
from amicable.files import ledger
from amicable.files.bulk import copy_rows, insert_rows
from amicable.files.lifecycle import change_file_state, close_files_as_paid
from amicable.files.models import (
    Debtor,
    Document,
    DocumentKind,
    EntrySource,
    Event,
    File,
    LedgerEntry,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.timeline import EventKind, EventRow, record_event, record_events
from amicable.payments.matching import CHUNK, Match, match_credits
from amicable.payments.models import (
    BankMovementRecord,
    BankStatement,
    BankStatementFile,
    DebtorAccount,
    MatchMethod,
    MovementAssignment,
    MovementStatus,
    Refund,
    RefundStatus,
)
from amicable.statements import BankMovement, ParseResult, parse_statement

__all__ = [
    "UNMATCHED_DUE_WORKING_DAYS",
    "ImportReport",
    "PaymentsError",
    "assign_movement",
    "dismiss_movement",
    "import_statement_file",
    "mark_for_refund",
    "split_movement",
]

#: An unmatched movement is looked at within this many working days (agency policy).
UNMATCHED_DUE_WORKING_DAYS = 2
CURRENCY = "EUR"
#: Credits an outgoing movement may take back (a refund first needs its own decision).
RETURNABLE = (MovementStatus.MATCHED, MovementStatus.ASSIGNED, MovementStatus.UNMATCHED)
# How much of each text field fits its column (bank fields are longer in some files).
_WIDTHS = {
    "account": 34,
    "currency": 3,
    "structured_reference": 25,
    "counterparty_name": 140,
    "counterparty_account": 34,
    "counterparty_bic": 11,
    "end_to_end_id": 35,
    "bank_reference": 35,
    "transaction_code": 35,
    "return_reason": 35,
}
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")
_REFUND_REFERENCE = re.compile(r"AMR\d{8}(?:-AM\d{8})?", re.IGNORECASE)
_NOT_PROVIDED = {"", "NOTPROVIDED"}


class PaymentsError(Exception):
    """An action refused, with a message for the staff member (nothing was written)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class ImportReport:
    """What one import did: counts per outcome, the readers' warnings, and how long it took."""

    name: str
    sha256: str
    format: str
    already_imported: bool
    statement_file_id: int | None = None
    statements: int = 0
    movements: int = 0
    new_movements: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    methods: dict[str, int] = field(default_factory=dict)
    files_paid: int = 0
    overpayments: int = 0
    proofs_confirmed: int = 0
    returns: int = 0
    warnings: list[str] = field(default_factory=list)
    parse_seconds: float = 0.0
    match_seconds: float = 0.0

    @property
    def known_movements(self) -> int:
        """Movements read before, from this file or an overlapping statement: not booked."""
        return self.movements - self.new_movements

    def count(self, status: MovementStatus) -> int:
        return self.outcomes.get(status.value, 0)

    def summary(self) -> dict[str, Any]:
        return {
            "statements": self.statements,
            "movements": self.movements,
            "new_movements": self.new_movements,
            "outcomes": self.outcomes,
            "methods": self.methods,
            "files_paid": self.files_paid,
            "overpayments": self.overpayments,
            "proofs_confirmed": self.proofs_confirmed,
            "returns": self.returns,
        }


@dataclass(slots=True)
class _Outcome:
    """What becomes of one movement; written to its row at the end of the import."""

    status: MovementStatus
    method: MatchMethod = MatchMethod.NONE
    confidence: Decimal = ZERO
    reason: str = ""
    file_id: int | None = None
    entry_id: int | None = None
    original_id: int | None = None
    suggestions: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Posted:
    """A payment posted from a movement (or a part of one), for what follows a posting."""

    movement_id: int
    file_id: int
    amount: Decimal
    on: date
    overpayment: Decimal
    method: MatchMethod
    structured_reference: str
    counterparty_account: str
    counterparty_name: str
    # What the file's booked charges still asked once this payment was posted.
    outstanding: Decimal


@dataclass(frozen=True, slots=True)
class _FileInfo:
    debtor_id: int
    reference: str
    language: str


@dataclass(slots=True)
class _Effects:
    files_paid: int = 0
    overpayments: int = 0
    proofs_confirmed: int = 0


# --- import ------------------------------------------------------------------------------------


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one import.

    A statement keeps hundreds of thousands of objects alive until it is written (movements,
    books, entries); each collection would walk them all again, for almost no garbage: about a
    tenth of the import. Reference counting still frees what is dropped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_statement_file(
    data: bytes,
    *,
    name: str,
    actor: str,
    format: str | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import a CODA or camt.053 file: store, match, post, queue; all or nothing.

    Raises :class:`amicable.statements.StatementError` for a file that cannot be read (nothing
    is written). A file imported before (same sha256) is reported ``already_imported`` and
    nothing is written either.
    """
    with _cyclic_gc_paused():
        return _import(data, name=name, actor=actor, format=format, today=today)


def _import(
    data: bytes, *, name: str, actor: str, format: str | None, today: date | None
) -> ImportReport:
    today = today or timezone.localdate()
    digest = hashlib.sha256(data).hexdigest()
    previous = BankStatementFile.objects.filter(sha256=digest).first()
    if previous is not None:
        return _already_imported(previous, name=name)
    started = time.perf_counter()
    result = parse_statement(data, format=format)
    parse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = BankStatementFile.objects.create(
                    sha256=digest,
                    name=name[:255],
                    format=result.format,
                    size=len(data),
                    imported_by=actor,
                    warnings=[str(w) for w in result.warnings],
                )
        except IntegrityError:
            # Imported by someone else meanwhile (their transaction committed first).
            return _already_imported(BankStatementFile.objects.get(sha256=digest), name=name)
        report = ImportReport(
            name=name,
            sha256=digest,
            format=result.format,
            already_imported=False,
            statement_file_id=record.pk,
            statements=len(result.statements),
            movements=len(result.movements),
            warnings=[str(w) for w in result.warnings],
            parse_seconds=parse_seconds,
        )
        inserted = _store(record, result)
        report.new_movements = len(inserted)
        _reconcile(inserted, report=report, actor=actor, today=today)
        record.summary = report.summary()
        record.save(update_fields=["summary"])
    report.match_seconds = time.perf_counter() - started
    return report


def _already_imported(record: BankStatementFile, *, name: str) -> ImportReport:
    summary = record.summary or {}
    return ImportReport(
        name=name,
        sha256=record.sha256,
        format=record.format,
        already_imported=True,
        statement_file_id=record.pk,
        statements=summary.get("statements", 0),
        movements=summary.get("movements", 0),
    )


def _clip(value: str | None, key: str) -> str:
    return (value or "")[: _WIDTHS[key]]


def _store(record: BankStatementFile, result: ParseResult) -> list[tuple[int, BankMovement]]:
    """Insert statements and movements, skipping those already stored; return the movements
    this import inserted (row id, movement), in file order."""
    BankStatement.objects.bulk_create(
        [
            BankStatement(
                source_file=record,
                identity=s.identity[:200],
                account=_clip(s.account, "account"),
                currency=_clip(s.currency, "currency"),
                number=s.number[:35],
                opening_balance=s.opening_balance,
                closing_balance=s.closing_balance,
                opening_date=s.opening_date,
                closing_date=s.closing_date,
                is_duplicate=s.is_duplicate,
            )
            for s in result.statements
        ],
        ignore_conflicts=True,
    )
    identities = [s.identity[:200] for s in result.statements]
    statement_ids = dict(
        BankStatement.objects.filter(identity__in=identities).values_list("identity", "id")
    )
    unique: dict[str, BankMovement] = {}
    for movement in result.movements:
        unique.setdefault(movement.identity, movement)
    copy_rows(
        BankMovementRecord,
        (
            "identity",
            "source_file_id",
            "statement_id",
            "account",
            "currency",
            "booking_date",
            "value_date",
            "amount",
            "structured_reference",
            "communication",
            "information",
            "counterparty_name",
            "counterparty_account",
            "counterparty_bic",
            "end_to_end_id",
            "bank_reference",
            "transaction_code",
            "return_reason",
            "is_reversal",
        ),
        (
            (
                m.identity,
                record.pk,
                statement_ids[m.statement[:200]],
                _clip(m.account, "account"),
                _clip(m.currency, "currency"),
                m.booking_date,
                m.value_date,
                m.amount,
                _clip(m.structured_reference, "structured_reference"),
                m.communication,
                "\n".join(m.information),
                _clip(m.counterparty_name, "counterparty_name"),
                _clip(m.counterparty_account, "counterparty_account"),
                _clip(m.counterparty_bic, "counterparty_bic"),
                _clip(m.end_to_end_id, "end_to_end_id"),
                _clip(m.bank_reference, "bank_reference"),
                _clip(m.transaction_code, "transaction_code"),
                _clip(m.return_reason, "return_reason"),
                m.is_reversal,
            )
            for m in unique.values()
        ),
        ignore_conflicts=True,
    )
    # The rows that carry this file are the ones this import inserted; the others were there
    # before (or a concurrent import got them first and this one waited for it).
    ours = dict(BankMovementRecord.objects.filter(source_file=record).values_list("identity", "id"))
    return [(ours[identity], m) for identity, m in unique.items() if identity in ours]


def _reconcile(
    movements: list[tuple[int, BankMovement]],
    *,
    report: ImportReport,
    actor: str,
    today: date,
) -> None:
    """Decide on every movement this import inserted: credits are matched and posted first,
    then the outgoing movements (a return may take back a credit of the same file)."""
    outcomes: dict[int, _Outcome] = {}
    credits: list[tuple[int, BankMovement]] = []
    debits: list[tuple[int, BankMovement]] = []
    for movement_id, movement in movements:
        if movement.amount > 0 and movement.currency != CURRENCY:
            outcomes[movement_id] = _Outcome(
                MovementStatus.UNMATCHED,
                reason=f"a payment in {movement.currency}: only euro payments are posted",
            )
        elif movement.amount > 0 and movement.amount != movement.amount.quantize(CENT):
            outcomes[movement_id] = _Outcome(
                MovementStatus.UNMATCHED, reason="the amount has a fraction of a cent"
            )
        elif movement.amount > 0:
            credits.append((movement_id, movement))
        elif movement.amount < 0:
            debits.append((movement_id, movement))
        else:
            outcomes[movement_id] = _Outcome(MovementStatus.IGNORED, reason="a zero amount")

    matches = match_credits([m for _, m in credits])
    to_post: list[tuple[int, BankMovement, Match]] = []
    for (movement_id, movement), match in zip(credits, matches, strict=True):
        if match.file_id is None:
            outcomes[movement_id] = _Outcome(
                MovementStatus.UNMATCHED,
                reason=match.reason or "no reference to a file, and no known account",
                suggestions=match.suggestions,
            )
        else:
            to_post.append((movement_id, movement, match))
    # One batch for the whole statement (files.ledger.post_payments), in statement order.
    results = ledger.post_payments(
        [_order(movement, match) for _movement_id, movement, match in to_post], actor=actor
    )
    posted: list[_Posted] = []
    for (movement_id, movement, match), result in zip(to_post, results, strict=True):
        assert match.file_id is not None
        if isinstance(result, ledger.LedgerError):
            outcomes[movement_id] = _Outcome(
                MovementStatus.UNMATCHED, reason=str(result), suggestions=match.suggestions
            )
            continue
        outcomes[movement_id] = _Outcome(
            MovementStatus.MATCHED,
            method=match.method,
            confidence=match.confidence,
            file_id=match.file_id,
            entry_id=result.entry.pk,
        )
        posted.append(_posted(movement_id, movement, match.file_id, result, match.method))

    effects = _after_postings(posted, actor=actor, today=today)
    report.files_paid = effects.files_paid
    report.overpayments = effects.overpayments
    report.proofs_confirmed = effects.proofs_confirmed
    report.returns = _apply_debits(debits, outcomes, actor=actor)
    _queue_unmatched(
        [(i, m) for i, m in movements if outcomes[i].status == MovementStatus.UNMATCHED],
        outcomes,
        today=today,
    )
    _write_outcomes(outcomes, actor=actor)
    report.outcomes = dict(Counter(o.status.value for o in outcomes.values()))
    report.methods = dict(
        Counter(o.method.value for o in outcomes.values() if o.status == MovementStatus.MATCHED)
    )


def _payment_date(movement: BankMovement | BankMovementRecord) -> date:
    return movement.value_date or movement.booking_date


def _order(movement: BankMovement, match: Match) -> ledger.PaymentOrder:
    assert match.file_id is not None
    note = f"bank movement, {match.method.label.lower()}"
    if match.instalment:
        note += f", instalment {match.instalment}"
    return ledger.PaymentOrder(
        file_id=match.file_id,
        amount=movement.amount,
        value_date=_payment_date(movement),
        source=EntrySource.STATEMENT,
        source_reference=movement.identity,
        note=note,
    )


def _posted(
    movement_id: int,
    movement: BankMovement | BankMovementRecord,
    file_id: int,
    posting: ledger.Posting,
    method: MatchMethod,
) -> _Posted:
    return _Posted(
        movement_id=movement_id,
        file_id=file_id,
        amount=-posting.entry.amount,
        on=_payment_date(movement),
        overpayment=posting.overpayment,
        method=method,
        structured_reference=movement.structured_reference or "",
        counterparty_account=movement.counterparty_account or "",
        counterparty_name=movement.counterparty_name or "",
        outstanding=posting.booked_outstanding,
    )


# --- after a posting -----------------------------------------------------------------------------


def _after_postings(posted: Sequence[_Posted], *, actor: str, today: date) -> _Effects:
    """What follows payments posted to files, set-based: overpayments to refund, files paid,
    proofs confirmed, accounts learnt."""
    effects = _Effects()
    if not posted:
        return effects
    file_ids = sorted({p.file_id for p in posted})
    files: list[tuple[int, int, str]] = []
    for start in range(0, len(file_ids), CHUNK):
        files += File.objects.filter(id__any_of=file_ids[start : start + CHUNK]).values_list(
            "id", "debtor_id", "reference"
        )
    # Two lookups by key rather than a join, which the planner answers with a scan of all
    # debtors for every chunk.
    debtor_ids = sorted({debtor_id for _pk, debtor_id, _reference in files})
    languages: dict[int, str] = {}
    for start in range(0, len(debtor_ids), CHUNK):
        languages.update(
            Debtor.objects.filter(id__any_of=debtor_ids[start : start + CHUNK]).values_list(
                "id", "language"
            )
        )
    rows = {
        pk: _FileInfo(debtor_id, reference, languages[debtor_id])
        for pk, debtor_id, reference in files
    }
    effects.overpayments = _record_overpayments(posted, rows, actor=actor)
    effects.files_paid = _close_paid_files(posted, actor=actor)
    effects.proofs_confirmed = _confirm_proofs(posted, rows, actor=actor)
    _learn_accounts(posted, rows, today=today)
    return effects


def _record_overpayments(
    posted: Sequence[_Posted], rows: dict[int, _FileInfo], *, actor: str
) -> int:
    """A payment above what the file owed leaves a credit: record it as a refund to make, and
    tell the debtor on the timeline, in their language (docs/journeys.md) whatever the agent's."""
    over = [item for item in posted if item.overpayment > 0]
    refunds: list[Refund] = []
    events: list[EventRow] = []
    for item in over:
        info = rows[item.file_id]
        refunds.append(
            Refund(
                movement_id=item.movement_id,
                file_id=item.file_id,
                reference=f"AMR{item.movement_id:08d}-{info.reference}",
                amount=item.overpayment,
                iban=item.counterparty_account,
                name=item.counterparty_name,
                reason=f"overpayment on {info.reference}",
                requested_by=actor,
            )
        )
        with translation.override(info.language):
            message = _("You paid %(amount)s more than you owed: we will pay it back.") % {
                "amount": format_eur(item.overpayment, info.language)
            }
        events.append(
            EventRow(
                item.file_id,
                EventKind.OVERPAYMENT,
                actor,
                message,
                {"amount": str(item.overpayment), "movement": item.movement_id},
            )
        )
    insert_rows(Refund, refunds)
    record_events(events)
    return len(over)


def _close_paid_files(posted: Sequence[_Posted], *, actor: str) -> int:
    """Files that owe nothing any more are PAID (old Civil Code art. 1234), set-based.

    The ledger said what each file's booked charges still asked after its last payment here; a
    file whose booked charges are all paid has no principal left, so no interest runs either.
    """
    last_day: dict[int, date] = {}
    owed: dict[int, Decimal] = {}
    for item in posted:  # in posting order: the last one of a file holds its balance
        last_day[item.file_id] = max(item.on, last_day.get(item.file_id, item.on))
        owed[item.file_id] = item.outstanding
    paid_on = {file_id: last_day[file_id] for file_id, left in owed.items() if left <= 0}
    closed = close_files_as_paid(paid_on, actor=actor, reason="paid in full (bank statement)")
    return len(closed)


def _declared(items: Iterable[WorkItem]) -> tuple[Decimal | None, str]:
    """The amount and structured communication a debtor gave with a proof, if any."""
    amount: Decimal | None = None
    communication = ""
    for item in items:
        data = item.data or {}
        if amount is None and data.get("amount"):
            amount = Decimal(str(data["amount"]))
        raw = str(data.get("structured_communication") or data.get("communication") or "")
        reference = classify_reference(raw) if raw else None
        if not communication and reference is not None:
            communication = reference.value
    return amount, communication


def _confirm_proofs(posted: Sequence[_Posted], rows: dict[int, _FileInfo], *, actor: str) -> int:
    """Confirm the pending proofs of payment that a posted movement bears out.

    A proof the debtor uploaded (docs/journeys.md, journey 3) is confirmed when a movement posted to
    its file pays the amount the debtor declared with it, or uses the structured communication
    declared, or, when none was declared, the file's own (or an instalment's) communication.
    """
    by_file: dict[int, list[_Posted]] = defaultdict(list)
    for item in posted:
        by_file[item.file_id].append(item)
    file_ids = sorted(by_file)
    documents: list[Document] = []
    for start in range(0, len(file_ids), CHUNK):
        documents += Document.objects.filter(
            file_id__any_of=file_ids[start : start + CHUNK],
            kind=DocumentKind.PROOF_OF_PAYMENT,
            review_status=ReviewStatus.PENDING,
        ).order_by("id")
    if not documents:
        return 0
    items: dict[int, list[WorkItem]] = defaultdict(list)
    for work_item in WorkItem.objects.filter(
        document__in=documents, kind=WorkItemKind.PROOF_REVIEW
    ).order_by("id"):
        assert work_item.document_id is not None
        items[work_item.document_id].append(work_item)
    now = timezone.now()
    count = 0
    for document in documents:
        amount, communication = _declared(items[document.pk])
        proof = next(
            (
                p
                for p in by_file[document.file_id]
                if (amount is not None and p.amount == amount)
                or (communication and p.structured_reference == communication)
                or (not communication and p.method == MatchMethod.STRUCTURED_REFERENCE)
            ),
            None,
        )
        if proof is None:
            continue
        updated = Document.objects.filter(
            pk=document.pk, review_status=ReviewStatus.PENDING
        ).update(
            review_status=ReviewStatus.CONFIRMED,
            review_reason=f"bank movement {proof.movement_id} of {proof.amount} EUR",
            reviewed_by=actor,
            reviewed_at=now,
        )
        if updated != 1:
            continue
        WorkItem.objects.filter(
            pk__in=[i.pk for i in items[document.pk]], status=WorkItemStatus.OPEN
        ).update(
            status=WorkItemStatus.DONE,
            closed_at=now,
            closed_by=actor,
            outcome=f"confirmed by bank movement {proof.movement_id}",
        )
        language = rows[document.file_id].language
        with translation.override(language):
            message = _(
                "Your proof of payment “%(name)s” is confirmed: we received your payment of "
                "%(amount)s of %(date)s."
            ) % {
                "name": document.original_name,
                "amount": format_eur(proof.amount, language),
                "date": formats.date_format(proof.on, "DATE_FORMAT"),
            }
        record_event(
            File(pk=document.file_id),
            EventKind.PROOF_CONFIRMED,
            actor=actor,
            message=message,
            data={
                "document": document.pk,
                "movement": proof.movement_id,
                "amount": str(proof.amount),
            },
        )
        count += 1
    return count


def _learn_accounts(posted: Sequence[_Posted], rows: dict[int, _FileInfo], *, today: date) -> None:
    """Remember the account each debtor paid from (matching rule 3 uses it later)."""
    pairs = {
        (rows[p.file_id].debtor_id, p.counterparty_account)
        for p in posted
        if _IBAN.fullmatch(p.counterparty_account)
    }
    copy_rows(
        DebtorAccount,
        ("debtor_id", "iban", "first_seen_on"),
        [(debtor_id, iban, today) for debtor_id, iban in sorted(pairs)],
        ignore_conflicts=True,
    )


# --- outgoing movements --------------------------------------------------------------------------


@dataclass(slots=True)
class _Credit:
    """An earlier credit that an outgoing movement may take back."""

    id: int
    amount: Decimal
    status: MovementStatus
    file_id: int | None
    entry_id: int | None
    end_to_end_id: str
    structured_reference: str
    counterparty_account: str
    booking_date: date


def _credits_named_by(
    debits: Sequence[tuple[int, BankMovement]], outcomes: dict[int, _Outcome]
) -> list[_Credit]:
    """The credits that share an end-to-end id or a structured reference with a debit."""
    e2e = sorted({m.end_to_end_id for _, m in debits if m.end_to_end_id} - _NOT_PROVIDED)
    refs = sorted({m.structured_reference for _, m in debits if m.structured_reference})
    rows: dict[int, _Credit] = {}
    fields = (
        "id",
        "amount",
        "status",
        "file_id",
        "entry_id",
        "end_to_end_id",
        "structured_reference",
        "counterparty_account",
        "booking_date",
    )
    for key, values in (("end_to_end_id", e2e), ("structured_reference", refs)):
        for start in range(0, len(values), CHUNK):
            for row in BankMovementRecord.objects.filter(
                **{f"{key}__in": values[start : start + CHUNK]}, amount__gt=0
            ).values_list(*fields):
                credit = _Credit(*row)
                credit.status = MovementStatus(credit.status)
                # A credit of this same import: its outcome is not written yet.
                if credit.id in outcomes:
                    outcome = outcomes[credit.id]
                    credit.status = outcome.status
                    credit.file_id = outcome.file_id
                    credit.entry_id = outcome.entry_id
                rows[credit.id] = credit
    return sorted(rows.values(), key=lambda c: (c.booking_date, c.id), reverse=True)


def _original_of(movement: BankMovement, credits: Sequence[_Credit]) -> tuple[_Credit, str] | None:
    """The credit that an outgoing movement takes back, and how it was recognised.

    The same end-to-end id and amount; or, for a movement the bank marks as a return or a
    reversal, the same structured reference, amount and counterparty account.
    """
    amount = -movement.amount
    returnable = [
        c
        for c in credits
        if c.amount == amount and c.status in RETURNABLE and c.booking_date <= movement.booking_date
    ]
    e2e = movement.end_to_end_id or ""
    if e2e not in _NOT_PROVIDED:
        for credit in returnable:
            if credit.end_to_end_id == e2e:
                return credit, "end-to-end id"
    if movement.structured_reference:
        for credit in returnable:
            if (
                credit.structured_reference == movement.structured_reference
                and credit.counterparty_account == (movement.counterparty_account or "")
            ):
                return credit, "structured reference and account"
    return None


def _apply_debits(
    debits: Sequence[tuple[int, BankMovement]], outcomes: dict[int, _Outcome], *, actor: str
) -> int:
    """Refunds we ordered, payments returned by the bank, and the rest (not ours)."""
    if not debits:
        return 0
    pending = list(Refund.objects.filter(status=RefundStatus.PENDING).order_by("id"))
    by_reference = {r.reference.upper(): r for r in pending}
    credits = _credits_named_by(debits, outcomes)
    returns = 0
    for movement_id, movement in debits:
        refund = _refund_paid_by(movement, pending, by_reference)
        if refund is not None:
            outcome = _pay_refund(refund, movement_id, movement, actor=actor)
            if outcome.status == MovementStatus.REFUND:
                pending.remove(refund)
            outcomes[movement_id] = outcome
            continue
        found = _original_of(movement, credits)
        is_return = movement.is_reversal or bool(movement.return_reason)
        if found is not None:
            credit, how = found
            outcomes[movement_id] = _take_back(credit, movement, how, outcomes, actor=actor)
            returns += 1
        elif is_return:
            outcomes[movement_id] = _Outcome(
                MovementStatus.UNMATCHED,
                reason="a payment returned by the bank whose original payment is not found",
            )
        else:
            outcomes[movement_id] = _Outcome(
                MovementStatus.IGNORED,
                reason="outgoing, neither a refund we ordered nor a returned payment"
                + (
                    f" (transaction code {movement.transaction_code})"
                    if movement.transaction_code
                    else ""
                ),
            )
    return returns


def _refund_paid_by(
    movement: BankMovement, pending: Sequence[Refund], by_reference: dict[str, Refund]
) -> Refund | None:
    """The pending refund an outgoing movement pays: its reference in the end-to-end id or the
    communication, else the only pending refund of that amount to that account."""
    text = f"{movement.end_to_end_id or ''} {movement.communication}"
    for reference in _REFUND_REFERENCE.findall(text):
        refund = by_reference.get(reference.upper())
        if refund is not None and refund.status == RefundStatus.PENDING:
            return refund
    if not movement.counterparty_account:
        return None
    same = [
        r
        for r in pending
        if r.amount == -movement.amount and r.iban == movement.counterparty_account
    ]
    return same[0] if len(same) == 1 else None


def _pay_refund(
    refund: Refund, movement_id: int, movement: BankMovement, *, actor: str
) -> _Outcome:
    entry: LedgerEntry | None = None
    if refund.file_id is not None:
        try:
            entry = ledger.refund_credit(
                file=File(pk=refund.file_id),
                amount=refund.amount,
                on=movement.booking_date,
                actor=actor,
                reason=f"refund {refund.reference}",
            )
        except ledger.LedgerError as error:
            return _Outcome(MovementStatus.UNMATCHED, reason=f"refund {refund.reference}: {error}")
    else:
        BankMovementRecord.objects.filter(pk=refund.movement_id).update(
            status=MovementStatus.REFUNDED
        )
    refund.status = RefundStatus.PAID
    refund.paid_by_id = movement_id
    refund.entry = entry
    refund.save(update_fields=["status", "paid_by", "entry"])
    return _Outcome(
        MovementStatus.REFUND,
        method=MatchMethod.REFUND,
        confidence=Decimal("1.00"),
        file_id=refund.file_id,
        entry_id=entry.pk if entry else None,
        original_id=refund.movement_id,
        reason=f"refund {refund.reference}",
    )


def _take_back(
    credit: _Credit,
    movement: BankMovement,
    how: str,
    outcomes: dict[int, _Outcome],
    *,
    actor: str,
) -> _Outcome:
    """A payment returned by the bank: reverse its posting(s) and reopen a file closed as paid.

    The debt was never extinguished (old Civil Code art. 1234 needs a payment that stands), so
    the file goes back to the stage it had reached (``lifecycle``: PAID may go back).
    """
    reason = "payment returned by the bank" + (
        f" ({movement.return_reason})" if movement.return_reason else ""
    )
    entry_ids = (
        [credit.entry_id]
        if credit.entry_id
        else list(
            MovementAssignment.objects.filter(movement_id=credit.id)
            .order_by("id")
            .values_list("entry_id", flat=True)
        )
    )
    reversals: list[LedgerEntry] = []
    file_ids: list[int] = []
    for entry in LedgerEntry.objects.filter(pk__in=entry_ids).order_by("id"):
        reversals.append(
            ledger.reverse_payment(
                entry=entry, on=movement.booking_date, actor=actor, reason=reason
            )
        )
        file_ids.append(entry.file_id)
    for file_id in dict.fromkeys(file_ids):
        _reopen_if_paid(file_id, actor=actor, reason=reason)
    Refund.objects.filter(movement_id=credit.id, status=RefundStatus.PENDING).update(
        status=RefundStatus.CANCELLED
    )
    if credit.id in outcomes:
        outcomes[credit.id].status = MovementStatus.RETURNED
    else:
        BankMovementRecord.objects.filter(pk=credit.id).update(status=MovementStatus.RETURNED)
        _close_queue_items(
            [credit.id], actor=actor, outcome="returned by the bank", now=timezone.now()
        )
    credit.status = MovementStatus.RETURNED
    return _Outcome(
        MovementStatus.RETURN,
        method=MatchMethod.ORIGINAL_PAYMENT,
        confidence=Decimal("1.00") if how == "end-to-end id" else Decimal("0.90"),
        file_id=credit.file_id,
        entry_id=reversals[0].pk if reversals else None,
        original_id=credit.id,
        reason=f"{reason}, recognised by its {how}",
    )


def _reopen_if_paid(file_id: int, *, actor: str, reason: str) -> None:
    file = File.objects.get(pk=file_id)
    if file.file_state != FileState.PAID:
        return
    change_file_state(file=file, new_state=_state_before_paid(file), actor=actor, reason=reason)


def _state_before_paid(file: File) -> FileState:
    """The state the file had when it was closed as paid, if the lifecycle lets it go back
    there; else collection (the stage every file that was paid can go back to)."""
    event = (
        Event.objects.filter(file=file, kind="state_changed", data__to=FileState.PAID.value)
        .order_by("-at", "-id")
        .first()
    )
    if event is not None:
        before = event.data.get("from")
        if before in {s.value for s in ALLOWED_TRANSITIONS[FileState.PAID]}:
            return FileState(before)
    return FileState.IN_COLLECTION


# --- the queue --------------------------------------------------------------------------------


def _queue_unmatched(
    movements: Sequence[tuple[int, BankMovement]], outcomes: dict[int, _Outcome], *, today: date
) -> None:
    """One work item per movement left to an agent, due in 2 working days."""
    due = add_working_days(today, UNMATCHED_DUE_WORKING_DAYS)
    WorkItem.objects.bulk_create(
        [
            WorkItem(
                kind=WorkItemKind.UNMATCHED_MOVEMENT,
                title=_queue_title(movement)[:200],
                due_on=due,
                data={
                    "movement": movement_id,
                    "amount": f"{movement.amount:.2f}",
                    "booking_date": movement.booking_date.isoformat(),
                    "reason": outcomes[movement_id].reason,
                },
            )
            for movement_id, movement in movements
        ],
        batch_size=2000,
    )


def _queue_title(movement: BankMovement) -> str:
    who = movement.counterparty_name or movement.counterparty_account or "an unknown payer"
    if movement.amount > 0:
        return f"Payment of {movement.amount:.2f} {movement.currency} from {who}"
    return f"Outgoing {-movement.amount:.2f} {movement.currency} to {who}"


def _close_queue_items(
    movement_ids: Sequence[int], *, actor: str, outcome: str, now: datetime
) -> None:
    WorkItem.objects.filter(
        kind=WorkItemKind.UNMATCHED_MOVEMENT,
        status=WorkItemStatus.OPEN,
        data__movement__in=list(movement_ids),
    ).update(status=WorkItemStatus.DONE, closed_at=now, closed_by=actor, outcome=outcome[:500])


# --- writing the outcomes -------------------------------------------------------------------------


def _write_outcomes(outcomes: dict[int, _Outcome], *, actor: str) -> None:
    """Write every movement's outcome: one UPDATE per 10,000 rows on PostgreSQL."""
    now = timezone.now()
    ids = sorted(outcomes)
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(BankMovementRecord._meta.db_table)
        sql = (
            f"UPDATE {table} AS m SET status = v.status, match_method = v.method, "  # noqa: S608
            "confidence = v.confidence, reason = v.reason, file_id = v.file_id, "
            "entry_id = v.entry_id, original_id = v.original_id, "
            "suggestions = v.suggestions::jsonb, decided_by = %s, decided_at = %s "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::numeric[], %s::text[], "
            "%s::bigint[], %s::bigint[], %s::bigint[], %s::text[]) "
            "AS v(id, status, method, confidence, reason, file_id, entry_id, original_id, "
            "suggestions) WHERE m.id = v.id"
        )
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 10_000):
                chunk = ids[start : start + 10_000]
                rows = [outcomes[i] for i in chunk]
                cursor.execute(
                    sql,
                    [
                        actor,
                        now,
                        chunk,
                        [o.status.value for o in rows],
                        [o.method.value for o in rows],
                        [o.confidence for o in rows],
                        [o.reason[:300] for o in rows],
                        [o.file_id for o in rows],
                        [o.entry_id for o in rows],
                        [o.original_id for o in rows],
                        [json.dumps(o.suggestions) for o in rows],
                    ],
                )
        return
    records = []
    for movement_id in ids:
        outcome = outcomes[movement_id]
        records.append(
            BankMovementRecord(
                pk=movement_id,
                status=outcome.status,
                match_method=outcome.method,
                confidence=outcome.confidence,
                reason=outcome.reason[:300],
                file_id=outcome.file_id,
                entry_id=outcome.entry_id,
                original_id=outcome.original_id,
                suggestions=outcome.suggestions,
                decided_by=actor,
                decided_at=now,
            )
        )
    BankMovementRecord.objects.bulk_update(
        records,
        [
            "status",
            "match_method",
            "confidence",
            "reason",
            "file_id",
            "entry_id",
            "original_id",
            "suggestions",
            "decided_by",
            "decided_at",
        ],
        batch_size=500,
    )


# --- the agents' actions --------------------------------------------------------------------------


def _lock_unmatched(movement: BankMovementRecord, *, credit: bool) -> BankMovementRecord:
    locked = BankMovementRecord.objects.select_for_update().get(pk=movement.pk)
    if locked.status != MovementStatus.UNMATCHED:
        raise PaymentsError(
            f"This movement is not waiting for an agent any more ({locked.get_status_display()})."
        )
    if credit and (locked.amount <= 0 or locked.currency != CURRENCY):
        raise PaymentsError("Only an incoming euro payment can be posted or refunded.")
    return locked


def _check_postable(file: File) -> None:
    if file.file_state not in OPEN_STATES:
        raise PaymentsError(
            f"File {file.reference} is {file.state}: refund the payment instead of posting it."
        )


@transaction.atomic
def assign_movement(
    *, movement: BankMovementRecord, file: File, actor: str, today: date | None = None
) -> BankMovementRecord:
    """Post an unmatched payment to the file an agent chose (whole amount)."""
    return _post_parts(movement=movement, parts=[(file, movement.amount)], actor=actor, today=today)


@transaction.atomic
def split_movement(
    *,
    movement: BankMovementRecord,
    parts: Sequence[tuple[File, Decimal]],
    actor: str,
    today: date | None = None,
) -> BankMovementRecord:
    """Post an unmatched payment over several files (one debtor paying for two files, a
    family paying together). The parts are positive, in cents, on different files, and add up
    to the amount received; each is imputed within its file (docs/legal.md, section 6)."""
    if len(parts) < 2:
        raise PaymentsError("A split needs at least two files.")
    return _post_parts(movement=movement, parts=parts, actor=actor, today=today)


def _post_parts(
    *,
    movement: BankMovementRecord,
    parts: Sequence[tuple[File, Decimal]],
    actor: str,
    today: date | None,
) -> BankMovementRecord:
    today = today or timezone.localdate()
    locked = _lock_unmatched(movement, credit=True)
    amounts = [amount for _file, amount in parts]
    if any(isinstance(a, float) for a in amounts):
        raise TypeError("Amounts are Decimal, never float.")
    if any(a <= 0 or a != a.quantize(CENT) for a in amounts):
        raise PaymentsError("Each part must be a positive amount in cents.")
    if len({file.pk for file, _amount in parts}) != len(parts):
        raise PaymentsError("Each file may appear once.")
    if sum(amounts, ZERO) != locked.amount:
        raise PaymentsError(
            f"The parts add up to {sum(amounts, ZERO)}, the payment is {locked.amount:.2f}."
        )
    # The files as they are now, locked in id order (two agents never deadlock on them).
    current = {pk: ledger.lock_file(pk) for pk in sorted(file.pk for file, _amount in parts)}
    parts = [(current[file.pk], amount) for file, amount in parts]
    for file, _amount in parts:
        _check_postable(file)
    posted: list[_Posted] = []
    entries: list[LedgerEntry] = []
    split = len(parts) > 1
    method = MatchMethod.AGENT_SPLIT if split else MatchMethod.AGENT
    for index, (file, amount) in enumerate(parts, 1):
        try:
            posting = ledger.post_payment(
                file=file,
                amount=amount,
                value_date=_payment_date(locked),
                actor=actor,
                source=EntrySource.STATEMENT,
                source_reference=f"{locked.identity}/{index}" if split else locked.identity,
                note=f"bank movement {locked.pk}, {method.label.lower()}",
            )
        except ledger.LedgerError as error:
            raise PaymentsError(str(error)) from error
        MovementAssignment.objects.create(
            movement=locked, file=file, amount=amount, entry=posting.entry, assigned_by=actor
        )
        posted.append(_posted(locked.pk, locked, file.pk, posting, method))
        entries.append(posting.entry)
    now = timezone.now()
    locked.status = MovementStatus.ASSIGNED
    locked.match_method = method
    locked.confidence = Decimal("1.00")
    locked.reason = ""
    locked.file = None if split else parts[0][0]
    locked.entry = None if split else entries[0]
    locked.decided_by = actor
    locked.decided_at = now
    locked.save()
    _close_queue_items(
        [locked.pk],
        actor=actor,
        now=now,
        outcome="posted to " + ", ".join(f"{f.reference} ({a:.2f})" for f, a in parts),
    )
    _after_postings(posted, actor=actor, today=today)
    return locked


@transaction.atomic
def mark_for_refund(*, movement: BankMovementRecord, actor: str, reason: str) -> Refund:
    """Pay an unmatched payment back to its sender (not ours, or for a file that is closed).

    The refund is marked paid when the outgoing transfer shows on a statement (its reference in
    the communication, or the same amount to the same account).
    """
    if not reason.strip():
        raise PaymentsError("Say why the payment is refunded.")
    locked = _lock_unmatched(movement, credit=True)
    if not locked.counterparty_account:
        raise PaymentsError("The sender's account is not known: the payment cannot be refunded.")
    refund = Refund.objects.create(
        movement=locked,
        reference=f"AMR{locked.pk:08d}",
        amount=locked.amount,
        iban=locked.counterparty_account,
        name=locked.counterparty_name,
        reason=reason.strip()[:300],
        requested_by=actor,
    )
    now = timezone.now()
    locked.status = MovementStatus.TO_REFUND
    locked.decided_by = actor
    locked.decided_at = now
    locked.reason = reason.strip()[:300]
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _close_queue_items([locked.pk], actor=actor, now=now, outcome=f"to refund: {reason}")
    return refund


@transaction.atomic
def dismiss_movement(
    *, movement: BankMovementRecord, actor: str, reason: str
) -> BankMovementRecord:
    """Record an outgoing movement from the queue as not concerning any file, with the reason."""
    if not reason.strip():
        raise PaymentsError("Say why the movement concerns no file.")
    locked = _lock_unmatched(movement, credit=False)
    if locked.amount > 0:
        raise PaymentsError("An incoming payment is posted or refunded, never dismissed.")
    now = timezone.now()
    locked.status = MovementStatus.IGNORED
    locked.reason = reason.strip()[:300]
    locked.decided_by = actor
    locked.decided_at = now
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _close_queue_items([locked.pk], actor=actor, now=now, outcome=f"dismissed: {reason}")
    return locked
