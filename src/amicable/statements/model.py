"""What a bank statement reader gives: statements of movements, warnings, or one clean error.

Both readers (CODA and camt.053) produce the same types, so the reconciler never needs to know
which format a bank delivered. Amounts are signed ``Decimal`` (credit positive, debit negative);
a structured reference is already classified by its content (12-digit OGM or ``RF`` reference,
see :func:`amicable.domain.references.classify_reference`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

__all__ = [
    "AMOUNT_DECIMALS",
    "AMOUNT_DIGITS",
    "MAX_AMOUNT",
    "WIDTHS",
    "BankMovement",
    "Format",
    "ParseResult",
    "Statement",
    "StatementError",
    "Warning",
    "amount_out_of_range",
    "movement_identity",
    "repeated_movements",
]

Format = Literal["coda", "camt053"]

CENT = Decimal("0.01")
MILL = Decimal("0.001")

# What a statement may hold is what is stored of it (amicable.payments.models; a test compares
# the two), so that a file the readers accept is never refused by the database: the readers
# refuse anything larger, naming the line or element, rather than let it be cut or fail there.
#: The largest amount, in either direction: CODA's own (12 digits before the decimal point, 3
#: after: 999,999,999,999.999). A
#: movement stores 13 digits and 3 decimals, a payment posted to a file's ledger 12 and 2 (only
#: whole cents are posted); camt.053 allows more, which no collection account ever sees.
AMOUNT_DIGITS = 12
AMOUNT_DECIMALS = 3
MAX_AMOUNT = Decimal(f"{'9' * AMOUNT_DIGITS}.{'9' * AMOUNT_DECIMALS}")
#: The longest text of each field that is stored with a fixed width. Each is also the longest
#: the formats allow: ISO 20022 Max34Text for an account, Max35Text for references and codes,
#: Max140Text for a name, 11 characters for a BIC; CODA's fixed positions are narrower.
WIDTHS: dict[str, int] = {
    "account": 34,
    "currency": 3,
    "statement_number": 35,
    "statement_identity": 200,
    "structured_reference": 25,
    "counterparty_name": 140,
    "counterparty_account": 34,
    "counterparty_bic": 11,
    "end_to_end_id": 35,
    "bank_reference": 35,
    "transaction_code": 35,
    "return_reason": 35,
}


class StatementError(Exception):
    """A file that cannot be read as a bank statement: nothing of it may be imported.

    ``location`` names the place: ``"line 12"`` in a CODA file, an element path such as
    ``"Stmt[1]/Ntry[3]/Amt"`` in a camt.053 document, ``"file"`` for the whole file.
    """

    def __init__(self, location: str, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


# The name the readers' callers use; this package never needs the builtin ``Warning``.
@dataclass(frozen=True, slots=True)
class Warning:
    """An integrity problem that does not stop the import (a trailer that does not add up...)."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True, slots=True)
class BankMovement:
    """One booked movement on our account, as the reconciler sees it.

    ``statement`` identifies the statement the movement was read from; ``identity`` identifies
    the movement itself, for de-duplication: it is the same every time the same movement is
    read again, from the same file or from a duplicate or overlapping statement of the account.
    ``information`` holds the bank's additional texts (CODA records 3.x, camt.053
    ``AddtlNtryInf``/``AddtlTxInf``), which the free-text OGM search may also read.
    """

    account: str
    currency: str
    statement: str
    booking_date: date
    value_date: date | None
    amount: Decimal
    structured_reference: str | None
    communication: str
    counterparty_name: str | None
    counterparty_account: str | None
    counterparty_bic: str | None
    end_to_end_id: str | None
    bank_reference: str | None
    transaction_code: str | None
    identity: str
    return_reason: str | None = None
    is_reversal: bool = False
    information: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of one account: its balances and its booked movements, in file order.

    ``number`` is the bank's statement number (CODA: the CODA sequence number of record 1;
    camt.053: ``LglSeqNb``, else ``ElctrncSeqNb``, else ``Id``). ``identity`` is the stable key
    the movements carry as their ``statement``.
    """

    account: str
    currency: str
    number: str
    identity: str
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    opening_date: date | None
    closing_date: date | None
    movements: list[BankMovement]
    is_duplicate: bool = False
    information: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Everything read from one file: its statements and the integrity warnings."""

    format: Format
    statements: list[Statement]
    warnings: list[Warning] = field(default_factory=list)

    @property
    def movements(self) -> list[BankMovement]:
        """The movements of every statement, in file order."""
        return [movement for statement in self.statements for movement in statement.movements]


def movement_identity(*parts: str) -> str:
    """A stable 64-hex-digit key for a movement, from the parts that make it unique.

    The parts are joined with a separator that cannot occur in them (unit separator), so
    ``("ab", "c")`` and ``("a", "bc")`` never collide.
    """
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def amount_out_of_range(amount: Decimal) -> str | None:
    """Why ``amount`` cannot be stored, or None when it can (see :data:`MAX_AMOUNT`).

    >>> amount_out_of_range(Decimal("999999999999.99")) is None
    True
    >>> amount_out_of_range(Decimal("99999999999999.99"))
    'is beyond the largest amount a statement may hold, 999999999999.999'
    >>> amount_out_of_range(Decimal("10.0001"))
    'has more than three decimals'
    """
    if abs(amount) > MAX_AMOUNT:
        return f"is beyond the largest amount a statement may hold, {MAX_AMOUNT}"
    if amount != amount.quantize(MILL):
        return "has more than three decimals"
    return None


def in_cents(amount: Decimal) -> Decimal:
    """``amount`` with exactly two decimals when that loses nothing (``-122.400`` -> ``-122.40``).

    CODA amounts carry three decimals and camt.053 amounts as many as the bank wrote; a euro
    amount is shown and compared in cents. An amount with a real third decimal is kept exact.
    """
    rounded = amount.quantize(CENT)
    return rounded if rounded == amount else amount


def repeated_movements(statements: list[Statement]) -> list[Warning]:
    """A warning for each movement read again from the same file (an identity seen before).

    It happens when a bank repeats a record or a whole statement; whoever imports the file
    books such a movement once, since the identity says it is the same one.
    """
    seen: set[str] = set()
    warnings: list[Warning] = []
    for statement in statements:
        for movement in statement.movements:
            if movement.identity in seen:
                warnings.append(
                    Warning(
                        f"statement {statement.number}",
                        f"the movement of {movement.booking_date} for {in_cents(movement.amount)}"
                        f" (bank reference {movement.bank_reference or 'none'}) was already read "
                        "in this file",
                    )
                )
            seen.add(movement.identity)
    return warnings
