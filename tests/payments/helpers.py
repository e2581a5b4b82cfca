"""Files with exact balances and CODA statements that pay them, for the payment tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from amicable.domain.references import ogm_normalize
from amicable.files.models import File
from amicable.payments.models import BankMovementRecord
from amicable.payments.statement_import import ImportReport, import_statement
from tests.factories import claim_input, make_creditor, make_file
from tests.statements.builders import OUR_ACCOUNT, CodaStatement, Movement, coda_file

__all__ = [
    "BOOKED",
    "PAID_ON",
    "TODAY",
    "coda",
    "credit",
    "debit",
    "import_bytes",
    "movement_of",
    "plain_file",
]

#: The day the payments are booked, and the day of the import (a Monday).
PAID_ON = date(2025, 5, 9)
BOOKED = date(2025, 5, 9)
TODAY = date(2025, 5, 12)

# No interest, indemnity or reminder-cost clause: the balance is the principal, to the cent.
_PLAIN = {
    "interest_clause": False,
    "interest_rate": None,
    "indemnity_percent": None,
    "indemnity_minimum": None,
    "reminder_cost_clause": False,
}


def plain_file(principal: str = "200.00", **debtor: Any) -> File:
    """An open file (formal notice stage) that owes exactly ``principal``."""
    creditor = debtor.pop("creditor", None) or make_creditor()
    return make_file(
        creditor=creditor, claims=[claim_input(principal=Decimal(principal), **_PLAIN)], **debtor
    )


def credit(
    amount: str,
    *,
    ogm: str | None = None,
    text: str = "",
    name: str = "",
    account: str = "",
    e2e: str = "",
    bank_reference: str = "",
    value_date: date = PAID_ON,
) -> Movement:
    """An incoming payment: with the file's structured communication when ``ogm`` is given."""
    return Movement(
        Decimal(amount),
        BOOKED,
        value_date,
        structured=("101", ogm_normalize(ogm)) if ogm else None,
        communication=text,
        counterparty_name=name,
        counterparty_account=account,
        end_to_end_id=e2e,
        bank_reference=bank_reference,
    )


def debit(amount: str, *, booked: date = BOOKED, **fields: Any) -> Movement:
    """An outgoing movement (``amount`` without its minus sign)."""
    fields.setdefault("code", "00149000")
    return Movement(-Decimal(amount), booked, booked, **fields)


def coda(*movements: Movement, sequence: int = 1, closed_on: date = BOOKED) -> bytes:
    """One CODA statement of our account holding ``movements``."""
    return coda_file(
        CodaStatement(
            account=OUR_ACCOUNT,
            opening=Decimal("1000.00"),
            opened_on=closed_on,
            closed_on=closed_on,
            movements=list(movements),
            coda_sequence=sequence,
            paper_sequence=sequence,
        )
    )


def import_bytes(data: bytes, *, name: str = "statement.cod", today: date = TODAY) -> ImportReport:
    return import_statement(data, name=name, actor="test:import", today=today)


def movement_of(report: ImportReport, index: int = 0) -> BankMovementRecord:
    """The ``index``-th movement stored by an import, in file order."""
    return BankMovementRecord.objects.filter(
        statement_import_id=report.statement_import_id
    ).order_by("id")[index]
