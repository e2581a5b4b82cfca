"""Reader for CODA 2.x, the Febelfin "Coded statement of account" (version 2.6 positions).

A CODA file is a sequence of 128-character records (docs/formats.md, section 3):

* ``0`` header (duplicate flag), ``1`` old balance and our account, then per movement a
  record ``2.1`` with its optional continuations ``2.2``/``2.3`` and information records
  ``3.1``-``3.3``, then ``8`` new balance, optional ``4`` free communications and ``9`` trailer.
  One physical file may hold several such logical files, one per statement.
* Amounts are 15 digits with three decimals and a separate sign digit (``0`` credit, ``1``
  debit); dates are ``DDMMYY`` (read as 20YY; ``000000`` = unknown value date).
* A structured communication of type 101/102 carries an OGM, type 100 an RF reference. Both are
  classified by their content (a type 101 with wrong check digits is not an OGM).
* Globalisations (transaction type 1 by the customer, 2 by the bank) are booked through their
  details (types 5, 6, 7: one per payment, each with its own reference and counterparty) and
  never together with their total. Totals of type 0 and 3 are booked themselves; the type 8/9
  records under them only break one amount down (charges, original currency).

A movement's identity hashes the account, the statement (CODA sequence number, paper statement
number, new balance date), the movement's sequence (with its laps past 9999) and detail numbers,
the amount and the dates: never the bank reference, which Febelfin allows banks to change.

The file is decoded before it is sliced (a multi-byte character would shift every later field):
UTF-8 when it is valid UTF-8 (plain ASCII files are), else Windows-1252, else ISO-8859-1, which
cannot fail. A byte-order mark selects UTF-8/16/32.

Integrity checks (record count and totals of the trailer, old balance plus movements equals new
balance, account of record 8 equals that of record 1, continuation records carrying their
movement's sequence, record length) give warnings; anything that cannot be read (a record longer
than 128 characters, a non-numeric amount, an impossible date, records out of order, a NUL
character) raises :class:`StatementError` naming the line, and nothing of the file is returned.
Every field fits what is stored of it (``model.WIDTHS``, ``model.MAX_AMOUNT``) by its width.
"""

from __future__ import annotations

import codecs
from datetime import date
from decimal import Decimal

from amicable.domain.references import classify_reference
from amicable.statements.model import (
    BankMovement,
    ParseResult,
    Statement,
    StatementError,
    Warning,
    in_cents,
    movement_identity,
    repeated_movements,
)

__all__ = ["decode", "parse_coda"]

RECORD_LENGTH = 128
ZERO = Decimal(0)
# Globalisation totals (1: by the customer, 2: by the bank) are booked through these details.
GLOBALISATION_TYPES = ("1", "2")
BOOKED_DETAIL_TYPES = ("5", "6", "7")
PLACEHOLDERS = ("NOTPROVIDED", "NOT PROVIDED")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> str:
    """The text of a CODA file: by its byte-order mark, else UTF-8, else cp1252, else latin-1.

    >>> decode("Société".encode("cp1252"))
    'Société'
    >>> decode(b"\\x81")  # undefined in cp1252
    '\\x81'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as error:
                raise StatementError("file", f"not valid {codec} text: {error.reason}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _lines(text: str) -> list[str]:
    # CRLF, LF or a lone CR all end a record. str.splitlines() is not used: it would also split
    # on characters that latin-1 decoding can produce inside a record (U+0085, U+001C...).
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    # A final newline, blank lines at the end and a DOS end-of-file mark are not records.
    while lines and (not lines[-1].strip() or lines[-1] == "\x1a"):
        lines.pop()
    return lines


def _is_digits(text: str) -> bool:
    return text.isdigit() and text.isascii()


def _collapse(text: str) -> str:
    """Runs of blanks as one space (CODA pads every zone; words may be split across records)."""
    return " ".join(text.split())


def _texts(raw: list[str]) -> tuple[str, ...]:
    return tuple([text for text in map(_collapse, raw) if text])


def _iban_from_belgian_bban(bban: str) -> str:
    """``435000000080`` -> ``BE47435000000080`` (ISO 13616 check digits over BBAN + "BE00")."""
    return f"BE{98 - int(bban + '111400') % 97:02d}{bban}"


def _is_valid_belgian_bban(bban: str) -> bool:
    check = int(bban[:10]) % 97 or 97
    return int(bban[10:]) == check


def _is_bic(text: str) -> bool:
    return (
        len(text) in (8, 11)
        and text.isascii()
        and text.isalnum()
        and text[:6].isalpha()
        and text == text.upper()
    )


def _is_reason_code(text: str) -> bool:
    """An ISO 20022 return reason code such as ``AC04`` or ``MS02`` (letters first)."""
    return text.isascii() and text.isalnum() and text[:2].isalpha() and text == text.upper()


class _Pending:
    """A record 2.1 with its continuations and information records, as read (lean: raw lines)."""

    __slots__ = ("info", "info_name", "line", "r21", "r22", "r23")

    def __init__(self, line: int, r21: str) -> None:
        self.line = line
        self.r21 = r21
        self.r22 = ""
        self.r23 = ""
        self.info: list[str] | None = None
        self.info_name = ""


class _Open:
    """A logical file being read: from its record 0 to its record 9."""

    __slots__ = (
        "account",
        "coda_sequence",
        "currency",
        "information",
        "is_duplicate",
        "new_balance",
        "new_balance_date",
        "new_balance_line",
        "old_balance",
        "old_balance_date",
        "paper_sequence",
        "pending",
        "records",
        "structure",
    )

    def __init__(self, *, is_duplicate: bool) -> None:
        self.is_duplicate = is_duplicate
        self.structure = ""
        self.account = ""
        self.currency = ""
        self.paper_sequence = ""
        self.coda_sequence = ""
        self.old_balance = ZERO
        self.old_balance_date = date.min  # set by record 1, which always comes first
        self.new_balance: Decimal | None = None
        self.new_balance_date: date | None = None
        self.new_balance_line = 0
        self.pending: list[_Pending] = []
        self.information: list[str] = []
        # Records 1, 2.x, 3.x and 8: what the trailer counts.
        self.records = 0


# Where the reader is in a logical file.
_HEADER, _OLD_BALANCE, _MOVEMENTS, _AFTER_NEW_BALANCE = range(4)


class _Reader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.warnings: list[Warning] = []
        self.statements: list[Statement] = []
        self._dates: dict[str, date] = {}

    def warn(self, number: int, message: str) -> None:
        self.warnings.append(Warning(f"line {number}", message))

    # -- fields -------------------------------------------------------------------------------

    def amount(self, text: str, sign: str, number: int, what: str) -> Decimal:
        if not _is_digits(text):
            raise StatementError(f"line {number}", f"{what} {text!r} is not a 15-digit amount")
        # Three decimals in the file; a euro amount is shown and compared in cents, so the third
        # is dropped when it is 0 (exact either way), as in ``model.in_cents``.
        value = Decimal(
            f"{text[:12]}.{text[12:14]}" if text[14] == "0" else f"{text[:12]}.{text[12:]}"
        )
        if sign == "0":
            return value
        if sign == "1":
            return -value
        raise StatementError(f"line {number}", f"{what} sign {sign!r} is neither 0 nor 1")

    def date(self, text: str, number: int, what: str) -> date:
        value = self._dates.get(text)
        if value is not None:
            return value
        try:
            if not _is_digits(text):
                raise ValueError
            value = date(2000 + int(text[4:6]), int(text[2:4]), int(text[0:2]))
        except ValueError:
            raise StatementError(
                f"line {number}", f"{what} {text!r} is not a date (DDMMYY)"
            ) from None
        self._dates[text] = value
        return value

    def account(self, structure: str, field: str, number: int) -> tuple[str, str]:
        """Account and currency from the 37-character zone of record 1 (or 8)."""
        if structure == "0":  # Belgian BBAN: 12 digits, blank, currency
            account, currency = field[0:12], field[13:16]
            if _is_digits(account):
                account = _iban_from_belgian_bban(account)
        elif structure == "2":  # Belgian IBAN
            account, currency = field[0:31].strip(), field[34:37]
        elif structure in ("1", "3"):  # foreign BBAN or IBAN
            account, currency = field[0:34].strip(), field[34:37]
        else:
            raise StatementError(f"line {number}", f"unknown account structure {structure!r}")
        if not account:
            raise StatementError(f"line {number}", "the account number is blank")
        if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
            raise StatementError(f"line {number}", f"currency {currency!r} is not a currency code")
        return account, currency

    # -- the file -----------------------------------------------------------------------------

    def read(self) -> ParseResult:
        if not self.lines:
            raise StatementError("file", "the file is empty")
        if self.lines[0][:5] != "00000":
            raise StatementError("line 1", "not a CODA file: no header record 0")
        state = _HEADER
        current: _Open | None = None
        movement: _Pending | None = None
        number = 0
        for number, raw in enumerate(self.lines, 1):
            line = raw
            if len(line) != RECORD_LENGTH:
                if len(line) > RECORD_LENGTH:
                    raise StatementError(
                        f"line {number}",
                        f"record is {len(line)} characters long, not {RECORD_LENGTH}",
                    )
                if not line:
                    self.warn(number, "blank line skipped")
                    continue
                # Some tools strip trailing blanks (docs/formats.md, section 3.1): pad, and say so.
                self.warn(
                    number,
                    f"record is {len(line)} characters long, not {RECORD_LENGTH}; "
                    "padded with blanks",
                )
                line = line.ljust(RECORD_LENGTH)
            kind = line[0]
            if kind == "2" or kind == "3":
                if state != _MOVEMENTS or current is None:
                    raise StatementError(
                        f"line {number}", f"record {line[:2]} outside a statement's movements"
                    )
                sub = line[1]
                if kind == "2" and sub == "1":
                    if not _is_digits(line[2:10]):
                        raise StatementError(
                            f"line {number}",
                            f"sequence and detail numbers {line[2:10]!r} are not digits",
                        )
                    movement = _Pending(number, line)
                    current.pending.append(movement)
                elif sub in ("1", "2", "3"):
                    if movement is None:
                        raise StatementError(
                            f"line {number}", f"record {kind}.{sub} before any record 2.1"
                        )
                    if line[2:6] != movement.r21[2:6]:
                        self.warn(
                            number,
                            f"record {kind}.{sub} has sequence {line[2:6]!r}, its movement "
                            f"record 2.1 (line {movement.line}) has {movement.r21[2:6]!r}",
                        )
                    if kind == "2":
                        if sub == "2":
                            movement.r22 = line
                        else:
                            movement.r23 = line
                    else:
                        self.information(movement, sub, line)
                else:
                    raise StatementError(f"line {number}", f"unknown record type {line[:2]!r}")
                current.records += 1
            elif kind == "0":
                if state != _HEADER:
                    raise StatementError(
                        f"line {number}", "header record 0 before the previous trailer record 9"
                    )
                current = self.header(line, number)
                movement = None
                state = _OLD_BALANCE
            elif kind == "1":
                if state != _OLD_BALANCE or current is None:
                    raise StatementError(
                        f"line {number}", "old balance record 1 not right after a header record 0"
                    )
                self.old_balance(current, line, number)
                state = _MOVEMENTS
            elif kind == "8":
                if state != _MOVEMENTS or current is None:
                    raise StatementError(
                        f"line {number}", "new balance record 8 outside a statement"
                    )
                self.new_balance(current, line, number)
                state = _AFTER_NEW_BALANCE
            elif kind == "4":
                if current is None or state not in (_MOVEMENTS, _AFTER_NEW_BALANCE):
                    raise StatementError(
                        f"line {number}", "free communication record 4 outside a statement"
                    )
                if state != _AFTER_NEW_BALANCE:
                    self.warn(number, "free communication record 4 before the new balance (8)")
                current.information.append(line[32:112])
            elif kind == "9":
                if current is None or state not in (_MOVEMENTS, _AFTER_NEW_BALANCE):
                    raise StatementError(f"line {number}", "trailer record 9 outside a statement")
                self.trailer(current, line, number)
                current = None
                movement = None
                state = _HEADER
            else:
                raise StatementError(f"line {number}", f"unknown record type {kind!r}")
        if state != _HEADER:
            raise StatementError(f"line {number}", "the file ends before its trailer record 9")
        self.warnings += repeated_movements(self.statements)
        return ParseResult(format="coda", statements=self.statements, warnings=self.warnings)

    def information(self, movement: _Pending, sub: str, line: str) -> None:
        """Attach records 3.x to their movement: one text per 3.1 and its continuations."""
        if sub == "1":
            if line[39] == "1":  # structured: type 41-43, data from 44
                text = f"{line[40:43]} {line[43:113]}"
                if line[40:43] == "001" and not movement.info_name:
                    movement.info_name = line[43:113].strip()
            else:
                text = line[40:113]
            if movement.info is None:
                movement.info = [text]
            else:
                movement.info.append(text)
            return
        text = line[10:115] if sub == "2" else line[10:100]
        if movement.info is None:
            movement.info = [text]
        else:
            movement.info[-1] += text

    def header(self, line: str, number: int) -> _Open:
        if line[1:5] != "0000":
            if number == 1:
                raise StatementError("line 1", "not a CODA file: no header record 0")
            raise StatementError(f"line {number}", "header record 0 does not start with 00000")
        version = line[127]
        if version == "1":
            raise StatementError(
                f"line {number}", "CODA version 1 is not supported; ask the bank for version 2"
            )
        if version != "2":
            self.warn(number, f"version code {version!r}, read as CODA 2")
        is_duplicate = line[16] == "D"
        if is_duplicate:
            self.warn(number, "the bank marks this file as a duplicate of one already sent")
        return _Open(is_duplicate=is_duplicate)

    def old_balance(self, current: _Open, line: str, number: int) -> None:
        current.structure = line[1]
        current.account, current.currency = self.account(line[1], line[5:42], number)
        current.paper_sequence = line[2:5]
        current.old_balance = self.amount(line[43:58], line[42], number, "old balance")
        current.old_balance_date = self.date(line[58:64], number, "old balance date")
        current.coda_sequence = line[125:128].strip()
        current.records += 1

    def new_balance(self, current: _Open, line: str, number: int) -> None:
        account, currency = self.account(current.structure, line[4:41], number)
        if (account, currency) != (current.account, current.currency):
            self.warn(
                number,
                f"record 8 is for account {account} {currency}, record 1 for "
                f"{current.account} {current.currency}",
            )
        current.new_balance = self.amount(line[42:57], line[41], number, "new balance")
        current.new_balance_date = self.date(line[57:63], number, "new balance date")
        current.new_balance_line = number
        current.records += 1

    def trailer(self, current: _Open, line: str, number: int) -> None:
        if current.new_balance is None:
            if current.pending:
                raise StatementError(
                    f"line {number}", "trailer record 9 without a new balance record 8"
                )
            # "An empty file is 0, 1, 9" (docs/formats.md, section 3.1): the balance did not move.
            current.new_balance = current.old_balance
            current.new_balance_date = current.old_balance_date
            current.new_balance_line = number
        movements, debit, credit = self.book(current)
        if not _is_digits(line[16:22]):
            raise StatementError(f"line {number}", f"record count {line[16:22]!r} is not a number")
        announced = int(line[16:22])
        if announced != current.records:
            self.warn(
                number,
                f"record 9 announces {announced} records, the statement has {current.records}",
            )
        announced_debit = self.amount(line[22:37], "0", number, "debit total")
        announced_credit = self.amount(line[37:52], "0", number, "credit total")
        if announced_debit != debit:
            self.warn(
                number,
                f"record 9 debit total is {in_cents(announced_debit)}, "
                f"the movements {in_cents(debit)}",
            )
        if announced_credit != credit:
            self.warn(
                number,
                f"record 9 credit total is {in_cents(announced_credit)}, "
                f"the movements {in_cents(credit)}",
            )
        expected = current.old_balance + credit - debit
        if expected != current.new_balance:
            self.warn(
                current.new_balance_line,
                f"the new balance is {in_cents(current.new_balance)}, but the old balance "
                f"{in_cents(current.old_balance)} plus the movements gives {in_cents(expected)}",
            )
        self.statements.append(
            Statement(
                account=current.account,
                currency=current.currency,
                number=current.coda_sequence,
                identity=self.identity(current),
                opening_balance=in_cents(current.old_balance),
                closing_balance=in_cents(current.new_balance),
                opening_date=current.old_balance_date,
                closing_date=current.new_balance_date,
                movements=movements,
                is_duplicate=current.is_duplicate,
                information=_texts(current.information),
            )
        )

    @staticmethod
    def identity(current: _Open) -> str:
        # The CODA sequence restarts every year and the paper number may be a Julian date or
        # zeros: with the closing date they identify the statement, and stay the same when the
        # bank sends the file again (duplicate flag) or we import it twice.
        closing = current.new_balance_date.isoformat() if current.new_balance_date else ""
        return (
            f"{current.account} {current.currency} {current.coda_sequence}/"
            f"{current.paper_sequence} {closing}"
        )

    # -- movements ----------------------------------------------------------------------------

    def book(self, current: _Open) -> tuple[list[BankMovement], Decimal, Decimal]:
        """The booked movements, and the debit and credit totals of the detail-0000 records."""
        pending = current.pending
        amounts: list[Decimal] = []
        debit = credit = ZERO
        for item in pending:
            r21 = item.r21
            amount = self.amount(r21[32:47], r21[31], item.line, "amount")
            amounts.append(amount)
            if r21[6:10] == "0000":
                if amount < 0:
                    debit -= amount
                else:
                    credit += amount
        statement = self.identity(current)
        movements: list[BankMovement] = []
        wraps = 0
        previous = -1
        start = 0
        count = len(pending)
        while start < count:
            sequence = pending[start].r21[2:6]
            end = start + 1
            while end < count and pending[end].r21[2:6] == sequence:
                end += 1
            # Sequence numbers wrap from 9999 to 0000 (docs/formats.md, section 3.1): count the laps
            # so that the identity of a movement stays unique in a statement of any size.
            value = int(sequence)
            if value <= previous:
                wraps += 1
            previous = value
            absolute = wraps * 10_000 + value
            booked = (
                range(start, end) if end - start == 1 else self.booked(pending, amounts, start, end)
            )
            for index in booked:
                item = pending[index]
                movements.append(self.movement(current, statement, absolute, item, amounts[index]))
            start = end
        return movements, debit, credit

    def booked(
        self, pending: list[_Pending], amounts: list[Decimal], start: int, end: int
    ) -> list[int]:
        """Which records of a sequence are booked: the total(s), or a globalisation's details."""
        totals = [i for i in range(start, end) if pending[i].r21[6:10] == "0000"]
        is_globalisation = not totals or pending[totals[0]].r21[53] in GLOBALISATION_TYPES
        if not is_globalisation:
            return totals
        details = [
            i
            for i in range(start, end)
            if pending[i].r21[6:10] != "0000" and pending[i].r21[53] in BOOKED_DETAIL_TYPES
        ]
        if not details:
            if not totals:
                self.warn(
                    pending[start].line,
                    f"sequence {pending[start].r21[2:6]} has neither a total nor a detail of "
                    "type 5, 6 or 7: nothing booked",
                )
            return totals
        if totals:
            total = sum((amounts[i] for i in totals), ZERO)
            detailed = sum((amounts[i] for i in details), ZERO)
            if total != detailed:
                self.warn(
                    pending[totals[0]].line,
                    f"the details of globalisation {pending[start].r21[2:6]} add up to "
                    f"{in_cents(detailed)}, its total is {in_cents(total)}; the details are "
                    "booked",
                )
        return details

    def movement(
        self, current: _Open, statement: str, sequence: int, item: _Pending, amount: Decimal
    ) -> BankMovement:
        r21, r22, r23, number = item.r21, item.r22, item.r23, item.line
        booking_text, value_text = r21[115:121], r21[47:53]
        booking_date = self._dates.get(booking_text) or self.date(
            booking_text, number, "entry date"
        )
        if value_text == "000000":
            value_date = None
        else:
            value_date = self._dates.get(value_text) or self.date(value_text, number, "value date")
        zone = r21[62:115]
        continued = r22[10:63] + r23[82:125]
        reference: str | None = None
        communication_type = r21[61]
        if communication_type == "1":
            kind = zone[:3]
            if kind == "101" or kind == "102":  # OGM (102: rebuilt by the bank from free text)
                candidate, rest = zone[3:15], zone[15:] + continued
            elif kind == "100":  # ISO 11649 RF reference
                candidate, rest = zone[3:28].strip(), zone[28:] + continued
            else:  # other structured data (amounts, card numbers...): no payer's text
                candidate, rest = "", ""
            classified = classify_reference(candidate) if candidate else None
            if classified is not None:
                reference = classified.value
                communication = _collapse(rest)
            else:
                communication = _collapse(f"{candidate} {rest}")
        else:
            if communication_type != "0":
                self.warn(number, f"communication type {communication_type!r} read as free text")
            communication = _collapse(zone + continued)
            # By content, not by tag: a free communication that is exactly an OGM is one.
            classified = classify_reference(communication) if communication else None
            if classified is not None:
                reference = classified.value
        counterparty_account: str | None = None
        counterparty_name: str | None = item.info_name or None
        if r23:
            tokens = r23[10:44].split()
            if tokens and tokens[0].strip("0"):
                counterparty_account = tokens[0]
                if (
                    len(counterparty_account) == 12
                    and _is_digits(counterparty_account)
                    and _is_valid_belgian_bban(counterparty_account)
                ):
                    counterparty_account = _iban_from_belgian_bban(counterparty_account)
            counterparty_name = r23[47:82].strip() or counterparty_name
        end_to_end_id: str | None = None
        counterparty_bic: str | None = None
        return_reason: str | None = None
        is_reversal = False
        if r22:
            end_to_end_id = r22[63:98].strip()
            if end_to_end_id in PLACEHOLDERS or not end_to_end_id.strip("0"):
                end_to_end_id = None
            bic = r22[98:109].strip()
            counterparty_bic = bic if _is_bic(bic) else None
            r_type, reason = r22[112], r22[113:117]
            # Positions 113-125 only mean this since CODA 2.3; older files hold other data
            # there, so an R-type counts only with a well-formed ISO reason (or none).
            if r_type in ("1", "2", "3", "4", "5") and (
                not reason.strip() or _is_reason_code(reason)
            ):
                return_reason = reason if reason.strip() else None
                is_reversal = r_type == "4"
        # Positional arguments, in field order: a keyword call costs a third of the movement.
        return BankMovement(
            current.account,  # account
            current.currency,  # currency
            statement,  # statement
            booking_date,  # booking_date
            value_date,  # value_date
            amount,  # amount
            reference,  # structured_reference
            communication,  # communication
            counterparty_name,  # counterparty_name
            counterparty_account,  # counterparty_account
            counterparty_bic,  # counterparty_bic
            end_to_end_id,  # end_to_end_id
            r21[10:31].strip() or None,  # bank_reference
            r21[53:61],  # transaction_code
            movement_identity(  # identity
                "coda",
                current.account,
                current.currency,
                statement,
                str(sequence),
                r21[6:10],
                r21[31:47],  # sign and amount
                booking_text,
                value_text,
            ),
            return_reason,  # return_reason
            is_reversal,  # is_reversal
            () if item.info is None else _texts(item.info),  # information
        )


def _refuse_nul(lines: list[str]) -> None:
    """Refuse a file holding a NUL character, naming its line and position.

    No CODA field may hold one (records are letters, digits and blanks), no bank writes one, and
    the database cannot store one in a text: a NUL means a damaged file, or not a CODA file (a
    UTF-16 file without a byte-order mark), and cutting it out would import something other
    than what the bank sent. The whole file is refused, as for any record that cannot be read.
    """
    for number, line in enumerate(lines, 1):
        position = line.find("\x00")
        if position != -1:
            raise StatementError(
                f"line {number}",
                f"position {position + 1} holds a NUL character (byte 0), which no CODA record "
                "contains: the file is damaged or not a CODA file",
            )


def parse_coda(data: bytes) -> ParseResult:
    """Read a CODA file (one or several statements) or raise :class:`StatementError`."""
    text = decode(data)
    lines = _lines(text)
    if "\x00" in text:  # one scan in C; the lines are searched only when it finds one
        _refuse_nul(lines)
    return _Reader(lines).read()
