"""Bank statement import, payment posting, returns and refunds, and the agents' actions.

:func:`import_statement` reads a CODA or camt.053 file and, in **one transaction**:

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

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from amicable.files.bulk import copy_rows, cyclic_gc_paused
from amicable.payments.models import (
    BankMovementRecord,
    BankStatement,
    MovementStatus,
    StatementImport,
)
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
        inserted = _store(record, result)
        report.new_movements = len(inserted)
        reconcile(inserted, into=report, actor=actor, today=today)
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


def _store(record: StatementImport, result: ParseResult) -> list[tuple[int, BankMovement]]:
    """Insert statements and movements, skipping those already stored; return the movements
    this import inserted (row id, movement), in file order."""
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
    copy_rows(
        BankMovementRecord,
        (
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
    ours = dict(
        BankMovementRecord.objects.filter(statement_import=record).values_list("identity", "id")
    )
    return [(ours[identity], m) for identity, m in unique.items() if identity in ours]
