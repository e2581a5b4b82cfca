"""Bank statement import, payment posting, returns and refunds, and the agents' actions.

:func:`import_statement` reads a CODA or camt.053 file and, in **one transaction**:

1. stores the file once (unique sha256: the same file again books nothing); imports take turns
   (a lock held to the end of the transaction), so of two imports of the same movements at the
   same moment the second waits for the first;
2. stores its statements with ``ON CONFLICT DO NOTHING`` on their identities and works **only on
   the movements not stored before**: a movement already read from an overlapping statement is
   not booked again (docs/architecture.md, invariant 3). Each new movement is written once, at
   the end, with what became of it (its key taken first, so that what the import writes
   meanwhile can point to it);
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

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from amicable.files.bulk import copy_rows, cyclic_gc_paused, reserve_keys
from amicable.files.lookups import ANY_OF_CHUNK
from amicable.payments.models import (
    BankMovementRecord,
    BankStatement,
    MovementStatus,
    StatementImport,
)
from amicable.payments.outcomes import Outcome
from amicable.payments.reconciliation import Reconciled, reconcile
from amicable.statements import BankMovement, ParseResult, parse_statement
from amicable.statements.model import WIDTHS

__all__ = ["ImportReport", "import_statement"]


@dataclass(slots=True, kw_only=True)
class ImportReport(Reconciled):
    """What one import did: what its movements became (:class:`Reconciled`), the readers'
    warnings, and how long it took."""

    name: str
    sha256: str
    format: str
    already_imported: bool
    statement_import_id: int | None = None
    statements: int = 0
    movements: int = 0
    new_movements: int = 0
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


def import_statement(
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
    with cyclic_gc_paused():
        return _import(data, name=name, actor=actor, format=format, today=today)


def _import(
    data: bytes, *, name: str, actor: str, format: str | None, today: date | None
) -> ImportReport:
    today = today or timezone.localdate()
    digest = hashlib.sha256(data).hexdigest()
    previous = StatementImport.objects.filter(sha256=digest).first()
    if previous is not None:
        return _already_imported(previous, name=name)
    started = time.perf_counter()
    result = parse_statement(data, format=format)
    parse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        _take_turn()
        try:
            with transaction.atomic():
                record = StatementImport.objects.create(
                    sha256=digest,
                    name=name[:255],
                    format=result.format,
                    size=len(data),
                    imported_by=actor,
                    warnings=[str(w) for w in result.warnings],
                )
        except IntegrityError:
            # Imported by someone else meanwhile (their transaction committed first).
            return _already_imported(StatementImport.objects.get(sha256=digest), name=name)
        report = ImportReport(
            name=name,
            sha256=digest,
            format=result.format,
            already_imported=False,
            statement_import_id=record.pk,
            statements=len(result.statements),
            movements=len(result.movements),
            warnings=[str(w) for w in result.warnings],
            parse_seconds=parse_seconds,
        )
        statement_ids, fresh = _new_movements(record, result)
        report.new_movements = len(fresh)
        outcomes = reconcile(fresh, into=report, actor=actor, today=today)
        _write_movements(record, statement_ids, fresh, outcomes, actor=actor)
        record.summary = report.summary()
        record.save(update_fields=["summary"])
    report.match_seconds = time.perf_counter() - started
    return report


def _already_imported(record: StatementImport, *, name: str) -> ImportReport:
    summary = record.summary or {}
    return ImportReport(
        name=name,
        sha256=record.sha256,
        format=record.format,
        already_imported=True,
        statement_import_id=record.pk,
        statements=summary.get("statements", 0),
        movements=summary.get("movements", 0),
    )


def _clip(value: str | None, key: str) -> str:
    """A text as the readers give it: within its column (``statements.model.WIDTHS``, which the
    readers enforce: a longer one is refused with its line, never cut here)."""
    text = value or ""
    assert len(text) <= WIDTHS[key], (key, len(text))
    return text


#: The key of the lock that makes imports take turns (PostgreSQL's advisory locks; SQLite lets
#: one transaction write at a time).
_IMPORT_LOCK = 7_301_500_053


def _take_turn() -> None:
    """Wait for any other import to finish: from here to the end of this one's transaction, the
    movements stored are the ones this import reads as known (each statement of a transaction
    at READ COMMITTED, Django's default, sees what the import before it committed). Called
    first in the import's transaction, before it reads anything."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK])


def _new_movements(
    record: StatementImport, result: ParseResult
) -> tuple[dict[str, int], list[tuple[int, BankMovement]]]:
    """Store the statements (skipping those stored already) and pick the movements never stored
    before, each with the key its row will have; returns the statements' ids by identity and
    those movements (key, movement), in file order."""
    BankStatement.objects.bulk_create(
        [
            BankStatement(
                statement_import=record,
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
    wanted = list(unique)
    known: set[str] = set()
    for start in range(0, len(wanted), ANY_OF_CHUNK):
        known.update(
            BankMovementRecord.objects.filter(
                identity__any_of=wanted[start : start + ANY_OF_CHUNK]
            ).values_list("identity", flat=True)
        )
    fresh = [m for identity, m in unique.items() if identity not in known]
    return statement_ids, list(
        zip(reserve_keys(BankMovementRecord, len(fresh)), fresh, strict=True)
    )


#: A movement's columns as read from the statement, then what became of it.
_MOVEMENT_FIELDS = (
    "id",
    "identity",
    "statement_import_id",
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
)


def _write_movements(
    record: StatementImport,
    statement_ids: dict[str, int],
    movements: list[tuple[int, BankMovement]],
    outcomes: dict[int, Outcome],
    *,
    actor: str,
) -> None:
    """Write each new movement once, with its outcome (one COPY on PostgreSQL)."""
    now = timezone.now()
    copy_rows(
        BankMovementRecord,
        _MOVEMENT_FIELDS,
        (
            (
                movement_id,
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
                outcome.status.value,
                outcome.method.value,
                outcome.confidence,
                outcome.reason[:300],
                outcome.file_id,
                outcome.entry_id,
                outcome.original_id,
                outcome.suggestions,
                actor,
                now,
            )
            for movement_id, m in movements
            for outcome in (outcomes[movement_id],)
        ),
    )
