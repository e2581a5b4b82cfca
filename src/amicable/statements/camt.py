"""Reader for ISO 20022 camt.053 bank-to-customer statements (versions .001.02 to .001.08+).

Elements are matched by their local name, whatever the namespace, and both layouts of the
versions are accepted wherever they differ (docs/formats.md, section 5.1): ``Sts`` or ``Sts/Cd``,
``Nm`` or ``Pty/Nm``, ``BIC`` or ``BICFI``, ``TxDtls/Amt`` or ``TxDtls/AmtDtls/TxAmt/Amt``, ``Dt``
or ``DtTm``. Real files are not always schema-valid, so the XSD is not a gate.

* Only booked entries (status ``BOOK``) are movements; pending or information entries are left
  out with a warning.
* An entry with several transaction details (a batch) gives one movement per ``TxDtls``, each
  with its own amount, reference and counterparty; a single ``TxDtls`` takes the entry's amount,
  which is what the account was booked for.
* The sign is the entry's (or detail's) ``CdtDbtInd``: ISO 20022 gives a reversal entry
  (``RvslInd`` true) the direction of the reversal itself, so the sign is kept and the movement
  is marked as a reversal; its counterparty is read on the original transaction's side.
* The structured reference is the first ``Strd/CdtrRefInf/Ref`` that is a valid OGM or RF
  reference by its content, whatever its ``Issr``; ``NOTPROVIDED`` placeholders count as absent.
* A movement's identity hashes the account, the bank's entry reference (``AcctSvcrRef``, with
  the transaction's own one or its rank in a batch), the amount and the dates, so the same entry
  read from two overlapping statements is recognised. Without a bank reference it falls back to
  the statement ``Id`` and the entry's rank.

A document that declares a DTD is refused with a :class:`StatementError` before it is parsed:
entity expansion ("billion laughs"), external entities and DTD retrieval never happen. So is a
value that could not be stored as it is (``model.MAX_AMOUNT``, ``model.WIDTHS``: an amount
beyond 999,999,999,999.999 or with a fourth decimal, a name over 140 characters, a reference
over 35, a currency that is not three capital letters), naming its element.
Integrity checks (opening balance plus entries equals closing balance, balances in the account's
currency, the transaction summary, batch counts and amounts) give warnings naming the element.
"""

from __future__ import annotations

import pyexpat
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from itertools import pairwise
from typing import NamedTuple
from xml.etree.ElementTree import XML, Element, ParseError

from amicable.domain.references import classify_reference
from amicable.statements.model import (
    AMOUNT_DECIMALS,
    AMOUNT_DIGITS,
    WIDTHS,
    BankMovement,
    ParseResult,
    Statement,
    StatementError,
    Warning,
    amount_out_of_range,
    in_cents,
    movement_identity,
    repeated_movements,
)

__all__ = ["parse_camt053"]

ZERO = Decimal(0)
PLACEHOLDERS = frozenset({"NOTPROVIDED", "NOT PROVIDED"})
OTHER_MESSAGES = {
    "BkToCstmrAcctRpt": "a camt.052 account report",
    "BkToCstmrDbtCdtNtfctn": "a camt.054 debit/credit notification",
    "CstmrCdtTrfInitn": "a pain.001 credit transfer order",
    "CstmrDrctDbtInitn": "a pain.008 direct debit order",
}
# ISO 20022 amounts: decimal digits, a dot, no sign, no exponent; how many digits a statement
# may hold is model.MAX_AMOUNT's to say...
_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# ... and one written with no more digits than it has is surely within it: the common case, for
# which one regular expression is all the checking there is.
_PLAIN_AMOUNT = re.compile(rf"[0-9]{{1,{AMOUNT_DIGITS}}}(?:\.[0-9]{{1,{AMOUNT_DECIMALS}}})?")
# ISO 4217 currency codes (ActiveOrHistoricCurrencyCode).
_CURRENCY = re.compile(r"[A-Z]{3}")
# Ustrd lines are at most 140 characters; a full one was cut by the bank mid-word.
USTRD_LENGTH = 140


class _RootReached(Exception):
    """The first element is reached, at ``offset``: no DTD can come any more."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def _xml_error(line: int, column: int, reason: str) -> StatementError:
    return StatementError(f"line {line}, column {column}", f"XML error: {reason}")


def _root_offset(data: bytes) -> int:
    """Where the root element starts, in a document read up to there without any DTD.

    A statement never declares a DTD; refusing one shuts out entity expansion ("billion
    laughs"), external entities and DTD retrieval at once. Expat reads the bytes as received,
    before anything rewrites them, up to the first element (a DTD cannot come after it): a
    document type or entity declaration is refused, and so is any error on the way, since a
    prolog that does not parse here cannot be trusted to hold no DTD for the parse that follows.
    """

    def refuse(*_args: object) -> None:
        raise StatementError("DOCTYPE", "a statement never declares a DTD; refused")

    def root(*_args: object) -> None:
        raise _RootReached(checker.CurrentByteIndex)

    checker = pyexpat.ParserCreate()
    checker.StartDoctypeDeclHandler = refuse
    checker.EntityDeclHandler = refuse
    checker.StartElementHandler = root
    try:
        checker.Parse(data, True)  # noqa: FBT003 (positional only)
    except _RootReached as reached:
        return reached.offset
    except pyexpat.ExpatError as error:
        raise _xml_error(error.lineno, error.offset, pyexpat.ErrorString(error.code)) from None
    except (LookupError, ValueError) as error:  # an encoding Python does not know
        raise StatementError("line 1", f"XML error: {error}") from None
    # Expat reports a document without an element as an error; this is not reached.
    raise StatementError("file", "XML error: no element found")


# A default namespace declaration inside a start tag: statements put their elements in the
# namespace of their version, which this reader ignores (it reads local names).
_DEFAULT_NAMESPACE = re.compile(rb"(<[A-Za-z][^<>]*?)\s+xmlns\s*=\s*(?:\"[^\"]*\"|'[^']*')")
# A start tag: the root's, at the offset expat found, if it is no longer than ROOT_TAG (a
# statement's is about a hundred bytes): the namespace pattern backtracks over long runs of
# blanks, and must not be given a megabyte of them.
_START_TAG = re.compile(rb"<[^<>]*>")
ROOT_TAG = 4096


def _parse_xml(data: bytes) -> Element:
    """The document's tree, with every element under its local name.

    The DTD check comes first (:func:`_root_offset`); the tree is then built by the C parser of
    the standard library (expat 2.4.1 and later also limits entity amplification itself), which
    reads 100,000 entries in a few seconds where a pure-Python parser takes ten times longer.
    """
    root_at = _root_offset(data)
    # Statements declare their namespace once, on the root: the declaration is taken out of the
    # root's start tag only, so that no byte before it (where a DTD would be) ever changes, and
    # the names come out local without a pass over every element. A declaration further down
    # (the byte search costs little next to the parse), or a root tag too long to look into,
    # takes the slow way below.
    tag = _START_TAG.match(data, root_at, root_at + ROOT_TAG)
    declared_later = tag is None or data.find(b"xmlns", tag.end()) != -1
    if tag is not None and not declared_later:
        bare = _DEFAULT_NAMESPACE.sub(rb"\1", tag.group())
        if len(bare) != len(tag.group()):
            data = data[:root_at] + bare + data[tag.end() :]
    try:
        root = XML(data)
    except ParseError as error:
        line, column = error.position
        raise _xml_error(line, column, str(error).split(":", 1)[0]) from None
    except LookupError as error:  # an encoding Python does not know, from the XML declaration
        raise StatementError("line 1", f"XML error: {error}") from None
    prefixed = "}" in root.tag or (len(root) > 0 and "}" in str(root[0].tag))
    if declared_later or prefixed:
        # Declarations further down, prefixed namespaces, or an encoding the byte pattern does
        # not see: strip the namespaces element by element.
        for element in root.iter():
            if isinstance(element.tag, str) and "}" in element.tag:
                element.tag = element.tag.rpartition("}")[2]
    return root


@cache
def _steps(path: str) -> tuple[str, ...]:
    return tuple(path.split("/"))


def _find(element: Element, path: str) -> Element | None:
    """``element.find(path)`` for a plain path of child names, one C lookup per step (the
    general ``ElementPath`` engine is written in Python: five times slower on 100,000 entries)."""
    found = element
    for step in _steps(path):
        child = found.find(step)
        if child is None:
            return None
        found = child
    return found


def _text(element: Element | None, path: str) -> str | None:
    """The stripped text at ``path`` under ``element``; None when absent, empty or a placeholder."""
    if element is None:
        return None
    found = _find(element, path)
    if found is None or found.text is None:
        return None
    text = found.text.strip()
    return text if text and text not in PLACEHOLDERS else None


def _first(element: Element, *paths: str) -> str | None:
    for path in paths:
        text = _text(element, path)
        if text is not None:
            return text
    return None


def _shown(text: str) -> str:
    """``text`` quoted for an error message, cut when it is long (it may be megabytes)."""
    return repr(text) if len(text) <= 40 else f"{text[:40]!r}..."


def _field(
    element: Element, location: str, width: str, *paths: str, compact: bool = False
) -> str | None:
    """:func:`_first` for a value stored with a fixed width (``model.WIDTHS[width]``): a longer
    one is refused, naming its element, rather than cut (the cut would merge two accounts or
    references). ``compact`` takes the blanks out first (an IBAN written in groups of four)."""
    for path in paths:
        text = _text(element, path)
        if text is None:
            continue
        if compact:
            text = "".join(text.split())
        if len(text) > WIDTHS[width]:
            raise StatementError(
                f"{location}/{path}",
                f"{_shown(text)} is {len(text)} characters long; at most {WIDTHS[width]} "
                "are allowed",
            )
        return text
    return None


def _currency(text: str | None, location: str) -> str | None:
    if text is not None and not _CURRENCY.fullmatch(text):
        raise StatementError(location, f"currency {_shown(text)} is not a currency code")
    return text


def _join_unstructured(parts: list[str]) -> str:
    """Ustrd lines joined: without a space after a full 140-character line (cut mid-word)."""
    text = parts[0] if parts else ""
    for previous, part in pairwise(parts):
        text += part if len(previous) >= USTRD_LENGTH else f" {part}"
    return " ".join(text.split())


class _Reader:
    def __init__(self) -> None:
        self.warnings: list[Warning] = []

    def warn(self, location: str, message: str) -> None:
        self.warnings.append(Warning(location, message))

    # -- fields -------------------------------------------------------------------------------

    @staticmethod
    def amount(element: Element, path: str, location: str) -> tuple[Decimal, str | None]:
        found = _find(element, path)
        where = f"{location}/{path}"
        if found is None:
            raise StatementError(where, "amount missing")
        text = (found.text or "").strip()
        if not _PLAIN_AMOUNT.fullmatch(text):
            if not _AMOUNT.fullmatch(text):
                raise StatementError(where, f"amount {_shown(text)} is not a decimal number")
            problem = amount_out_of_range(Decimal(text))  # leading or trailing zeros may do
            if problem is not None:
                raise StatementError(where, f"amount {_shown(text)} {problem}")
        return Decimal(text), _currency(found.get("Ccy"), f"{where}/@Ccy")

    @staticmethod
    def is_credit(element: Element, location: str) -> bool:
        indicator = _text(element, "CdtDbtInd")
        if indicator == "CRDT":
            return True
        if indicator == "DBIT":
            return False
        raise StatementError(f"{location}/CdtDbtInd", f"{indicator!r} is neither CRDT nor DBIT")

    @staticmethod
    def date(element: Element | None, location: str) -> date | None:
        """``Dt`` or the date part of ``DtTm`` (as written, in the bank's time zone)."""
        if element is None:
            return None
        day = _text(element, "Dt")
        moment = _text(element, "DtTm")
        try:
            if day is not None:
                return date.fromisoformat(day)
            if moment is not None:
                return datetime.fromisoformat(moment).date()
        except ValueError:
            raise StatementError(location, f"{day or moment!r} is not an ISO date") from None
        return None

    # -- the document -------------------------------------------------------------------------

    def read(self, data: bytes) -> ParseResult:
        root = _parse_xml(data)
        message = root if root.tag == "BkToCstmrStmt" else root.find("BkToCstmrStmt")
        if message is None:
            found = root[0].tag if root.tag == "Document" and len(root) else root.tag
            what = OTHER_MESSAGES.get(str(found), f"a <{found}> document")
            raise StatementError(str(root.tag), f"{what}, not a camt.053 statement")
        statements = [
            self.statement(stmt, f"Stmt[{index}]")
            for index, stmt in enumerate(message.findall("Stmt"), 1)
        ]
        if not statements:
            raise StatementError("BkToCstmrStmt", "no statement (Stmt) in the document")
        self.warnings += repeated_movements(statements)
        return ParseResult(format="camt053", statements=statements, warnings=self.warnings)

    def statement(self, stmt: Element, location: str) -> Statement:
        account = _field(stmt, location, "account", "Acct/Id/IBAN", "Acct/Id/Othr/Id", compact=True)
        if account is None:
            raise StatementError(f"{location}/Acct/Id", "no account (IBAN or Othr/Id)")
        balances: dict[str, _Balance] = {}
        for index, balance in enumerate(stmt.findall("Bal"), 1):
            where = f"{location}/Bal[{index}]"
            code = _first(balance, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry")
            if code not in ("OPBD", "PRCD", "CLBD") or code in balances:
                continue
            amount, currency = self.amount(balance, "Amt", where)
            signed = amount if self.is_credit(balance, where) else -amount
            when = self.date(balance.find("Dt"), f"{where}/Dt")
            balances[code] = _Balance(signed, currency, when, where)
        opening = balances.get("OPBD") or balances.get("PRCD")
        closing = balances.get("CLBD")
        entries = stmt.findall("Ntry")
        first_amount = entries[0].find("Amt") if entries else None
        currency = (
            _currency(_text(stmt, "Acct/Ccy"), f"{location}/Acct/Ccy")
            or (
                _currency(first_amount.get("Ccy"), f"{location}/Ntry[1]/Amt/@Ccy")
                if first_amount is not None
                else None
            )
            or (opening.currency if opening else None)
            or (closing.currency if closing else None)
        )
        if currency is None:
            self.warn(f"{location}/Acct", "no currency for the account")
            currency = ""
        # Each of these may become the statement's number or a part of its identity.
        statement_id = (
            _field(stmt, location, "statement_number", "Id", "ElctrncSeqNb", "LglSeqNb", "CreDtTm")
            or ""
        )
        if not statement_id:
            self.warn(f"{location}/Id", "the statement has no identification")
        identity = f"{account} {currency} {statement_id}"
        movements: list[BankMovement] = []
        booked: list[Decimal] = []
        for index, entry in enumerate(entries, 1):
            where = f"{location}/Ntry[{index}]"
            status = _first(entry, "Sts/Cd", "Sts/Prtry", "Sts")
            if status != "BOOK":
                self.warn(where, f"status {status or 'missing'}, not booked: left out")
                continue
            amount, entry_movements = self.entry(
                entry,
                location=where,
                index=index,
                account=account,
                currency=currency,
                statement=identity,
            )
            booked.append(amount)
            movements += entry_movements
        self.check_balances(currency, opening=opening, closing=closing, booked=booked)
        self.check_summary(stmt.find("TxsSummry"), f"{location}/TxsSummry", booked)
        return Statement(
            account=account,
            currency=currency,
            number=_field(stmt, location, "statement_number", "LglSeqNb", "ElctrncSeqNb", "Id")
            or "",
            identity=identity,
            opening_balance=in_cents(opening.amount) if opening else None,
            closing_balance=in_cents(closing.amount) if closing else None,
            opening_date=opening.date if opening else None,
            closing_date=closing.date if closing else None,
            movements=movements,
            information=tuple(
                text
                for text in (" ".join((e.text or "").split()) for e in stmt.findall("AddtlStmtInf"))
                if text
            ),
        )

    def entry(
        self,
        entry: Element,
        *,
        location: str,
        index: int,
        account: str,
        currency: str,
        statement: str,
    ) -> tuple[Decimal, list[BankMovement]]:
        """The signed amount of one booked entry, and its movements (one per transaction)."""
        amount, entry_currency = self.amount(entry, "Amt", location)
        is_credit = self.is_credit(entry, location)
        signed = amount if is_credit else -amount
        if entry_currency and currency and entry_currency != currency:
            self.warn(f"{location}/Amt", f"in {entry_currency}, the account is in {currency}")
        is_reversal = _text(entry, "RvslInd") in ("true", "1")
        value_date = self.date(entry.find("ValDt"), f"{location}/ValDt")
        booking_date = self.date(entry.find("BookgDt"), f"{location}/BookgDt")
        if booking_date is None:
            if value_date is None:
                raise StatementError(f"{location}/BookgDt", "a booked entry without any date")
            self.warn(f"{location}/BookgDt", "missing: the value date is used")
            booking_date = value_date
        details: list[Element] = []
        for group, entry_details in enumerate(entry.findall("NtryDtls"), 1):
            transactions = entry_details.findall("TxDtls")
            details += transactions
            announced = _text(entry_details, "Btch/NbOfTxs")
            if transactions and announced is not None and announced != str(len(transactions)):
                self.warn(
                    f"{location}/NtryDtls[{group}]/Btch/NbOfTxs",
                    f"announces {announced} transactions, the batch holds {len(transactions)}",
                )
        amounts = self.detail_amounts(
            details,
            signed=signed,
            currency=entry_currency,
            is_credit=is_credit,
            location=location,
        )
        common = _Entry(
            account=account,
            currency=entry_currency or currency,
            statement=statement,
            index=index,
            location=location,
            booking_date=booking_date,
            value_date=value_date,
            is_credit=is_credit,
            is_reversal=is_reversal,
            reference=_field(entry, location, "bank_reference", "AcctSvcrRef"),
            transaction_code=_transaction_code(entry, location),
            information=_text(entry, "AddtlNtryInf"),
        )
        if amounts is None or not details:  # one movement for the whole entry
            return signed, [self.movement(common, None, 1, signed)]
        return signed, [
            self.movement(common, detail, number, detail_amount)
            for number, (detail, detail_amount) in enumerate(zip(details, amounts, strict=True), 1)
        ]

    def detail_amounts(
        self,
        details: list[Element],
        *,
        signed: Decimal,
        currency: str | None,
        is_credit: bool,
        location: str,
    ) -> list[Decimal] | None:
        """The signed amount of each transaction detail, or None to book the entry as a whole."""
        found: list[tuple[Decimal, str | None] | None] = []
        for number, detail in enumerate(details, 1):
            where = f"{location}/NtryDtls/TxDtls[{number}]"
            path = "Amt" if detail.find("Amt") is not None else "AmtDtls/TxAmt/Amt"
            if _find(detail, path) is None:
                found.append(None)
                continue
            amount, detail_currency = self.amount(detail, path, where)
            if detail.find("CdtDbtInd") is not None:
                credit = self.is_credit(detail, where)
            else:
                credit = is_credit
            found.append((amount if credit else -amount, detail_currency))
        if len(details) <= 1:
            # The entry amount is what the account was booked for; a detail that says otherwise
            # (another currency, a zero) is reported, not believed.
            if found and found[0] is not None and found[0] != (signed, currency):
                detail_amount, detail_currency = found[0]
                self.warn(
                    f"{location}/NtryDtls/TxDtls[1]",
                    f"amount {detail_currency} {detail_amount} differs from the entry's "
                    f"{currency} {signed}; the entry's is used",
                )
            return [signed] * len(details)
        if any(item is None or item[1] != currency for item in found):
            self.warn(
                f"{location}/NtryDtls",
                f"a batch of {len(details)} transactions without an amount in the entry's "
                "currency for each: booked as one movement",
            )
            return None
        amounts = [item[0] for item in found if item is not None]
        total = sum(amounts, ZERO)
        if total != signed:
            self.warn(
                f"{location}/NtryDtls",
                f"the {len(details)} transactions add up to {in_cents(total)}, "
                f"the entry is {in_cents(signed)}",
            )
        return amounts

    def movement(
        self, entry: _Entry, detail: Element | None, number: int, amount: Decimal
    ) -> BankMovement:
        structured: str | None = None
        communication = ""
        information = [entry.information] if entry.information else []
        end_to_end_id = counterparty_name = counterparty_account = counterparty_bic = None
        return_reason: str | None = None
        detail_reference = None
        transaction_code = entry.transaction_code
        if detail is not None:
            where = f"{entry.location}/NtryDtls/TxDtls[{number}]"
            for reference in detail.findall("RmtInf/Strd/CdtrRefInf/Ref"):
                classified = classify_reference((reference.text or "").strip())
                if classified is not None:
                    structured = classified.value
                    break
            lines = [
                text
                for text in (element.text or "" for element in detail.findall("RmtInf/Ustrd"))
                if text.strip() and text.strip() not in PLACEHOLDERS
            ]
            communication = _join_unstructured(lines)
            if structured is None and communication:
                # By content, not by tag: an unstructured text that is exactly an OGM is one.
                classified = classify_reference(communication)
                structured = classified.value if classified is not None else None
            extra = _text(detail, "AddtlTxInf")
            if extra:
                information.append(extra)
            end_to_end_id = _field(detail, where, "end_to_end_id", "Refs/EndToEndId")
            detail_reference = _field(detail, where, "bank_reference", "Refs/AcctSvcrRef")
            transaction_code = _transaction_code(detail, where) or transaction_code
            return_reason = _field(
                detail, where, "return_reason", "RtrInf/Rsn/Cd", "RtrInf/Rsn/Prtry"
            )
            # The counterparty is the payer of money received and the payee of money sent;
            # a reversal goes the other way from the transaction it reverses.
            sides = ("Dbtr", "Cdtr") if entry.is_credit != entry.is_reversal else ("Cdtr", "Dbtr")
            for side in sides:
                parties, agent = f"RltdPties/{side}", f"RltdAgts/{side}Agt/FinInstnId"
                name = _field(
                    detail, where, "counterparty_name", f"{parties}/Nm", f"{parties}/Pty/Nm"
                )
                iban = _field(
                    detail,
                    where,
                    "counterparty_account",
                    f"{parties}Acct/Id/IBAN",
                    f"{parties}Acct/Id/Othr/Id",
                    compact=True,
                )
                # The other side is read only when this one is empty, and never when it is us.
                if (name or iban) and iban != entry.account:
                    counterparty_name, counterparty_account = name, iban
                    counterparty_bic = _field(
                        detail, where, "counterparty_bic", f"{agent}/BICFI", f"{agent}/BIC"
                    )
                    break
        bank_reference = detail_reference or entry.reference
        amount = in_cents(amount)
        key: tuple[str, ...]
        if entry.reference or detail_reference:
            # The bank's own reference is unique for the account: the same movement read from
            # two overlapping statements gets the same identity.
            key = ("ref", entry.reference or "", detail_reference or str(number))
        else:
            key = ("statement", entry.statement, str(entry.index), str(number))
        return BankMovement(
            account=entry.account,
            currency=entry.currency,
            statement=entry.statement,
            booking_date=entry.booking_date,
            value_date=entry.value_date,
            amount=amount,
            structured_reference=structured,
            communication=communication,
            counterparty_name=counterparty_name,
            counterparty_account=counterparty_account,
            counterparty_bic=counterparty_bic,
            end_to_end_id=end_to_end_id,
            bank_reference=bank_reference,
            transaction_code=transaction_code,
            identity=movement_identity(
                "camt053",
                entry.account,
                entry.currency,
                *key,
                str(amount),
                entry.booking_date.isoformat(),
                entry.value_date.isoformat() if entry.value_date else "",
            ),
            return_reason=return_reason,
            is_reversal=entry.is_reversal,
            information=tuple(" ".join(text.split()) for text in information),
        )

    # -- integrity ----------------------------------------------------------------------------

    def check_balances(
        self,
        currency: str,
        *,
        opening: _Balance | None,
        closing: _Balance | None,
        booked: list[Decimal],
    ) -> None:
        """Opening balance plus the booked entries gives the closing balance (same currency)."""
        comparable = True
        for balance in (opening, closing):
            if balance is not None and balance.currency and balance.currency != currency:
                self.warn(
                    f"{balance.location}/Amt",
                    f"balance in {balance.currency}, the account is in {currency}; not checked",
                )
                comparable = False
        if opening is None or closing is None or not comparable:
            return
        expected = opening.amount + sum(booked, ZERO)
        if expected != closing.amount:
            self.warn(
                f"{closing.location}/Amt",
                f"the closing balance is {in_cents(closing.amount)}, but the opening balance "
                f"{in_cents(opening.amount)} plus the booked entries gives {in_cents(expected)}",
            )

    def check_summary(self, summary: Element | None, location: str, booked: list[Decimal]) -> None:
        """Compare ``TxsSummry`` with the booked entries (never trusted,
        docs/formats.md, section 5.3)."""
        if summary is None:
            return
        credits = [amount for amount in booked if amount > 0]
        debits = [-amount for amount in booked if amount < 0]
        net = sum(booked, ZERO)
        checks = [
            ("TtlNtries/NbOfNtries", str(len(booked))),
            ("TtlNtries/Sum", sum((abs(a) for a in booked), ZERO)),
            ("TtlCdtNtries/NbOfNtries", str(len(credits))),
            ("TtlCdtNtries/Sum", sum(credits, ZERO)),
            ("TtlDbtNtries/NbOfNtries", str(len(debits))),
            ("TtlDbtNtries/Sum", sum(debits, ZERO)),
        ]
        for path, actual in checks:
            announced = _text(summary, path)
            if announced is None:
                continue
            if isinstance(actual, Decimal):
                if _AMOUNT.fullmatch(announced) and Decimal(announced) == actual:
                    continue
            elif announced == actual:
                continue
            shown = in_cents(actual) if isinstance(actual, Decimal) else actual
            self.warn(
                f"{location}/{path}", f"announces {announced}, the booked entries give {shown}"
            )
        # .03+: TtlNetNtry/Amt + TtlNetNtry/CdtDbtInd; .02: TtlNetNtryAmt + CdtDbtInd.
        for amount_path, sign_path in (
            ("TtlNtries/TtlNetNtry/Amt", "TtlNtries/TtlNetNtry/CdtDbtInd"),
            ("TtlNtries/TtlNetNtryAmt", "TtlNtries/CdtDbtInd"),
        ):
            announced = _text(summary, amount_path)
            if announced is None:
                continue
            sign = _text(summary, sign_path)
            value = Decimal(announced) if _AMOUNT.fullmatch(announced) else None
            if value is not None and sign == "DBIT":
                value = -value
            if value != net:
                self.warn(
                    f"{location}/{amount_path}",
                    f"announces a net {announced} {sign or ''}, the booked entries give "
                    f"{in_cents(net)}",
                )


class _Balance(NamedTuple):
    amount: Decimal  # signed
    currency: str | None
    date: date | None
    location: str


@dataclass(frozen=True, slots=True)
class _Entry:
    """What the movements of one entry share."""

    account: str
    currency: str
    statement: str
    index: int
    location: str
    booking_date: date
    value_date: date | None
    is_credit: bool
    is_reversal: bool
    reference: str | None
    transaction_code: str | None
    information: str | None


def _transaction_code(element: Element, location: str) -> str | None:
    """ISO ``Domn/Cd/Fmly/SubFmly`` (``PMNT/RCDT/ESCT``), else the proprietary code."""
    domain = _text(element, "BkTxCd/Domn/Cd")
    if domain is None:
        return _field(element, location, "transaction_code", "BkTxCd/Prtry/Cd")
    family = _text(element, "BkTxCd/Domn/Fmly/Cd")
    sub_family = _text(element, "BkTxCd/Domn/Fmly/SubFmlyCd")
    code = "/".join(part for part in (domain, family, sub_family) if part)
    if len(code) > WIDTHS["transaction_code"]:  # ISO codes have four characters each
        raise StatementError(
            f"{location}/BkTxCd/Domn",
            f"{_shown(code)} is {len(code)} characters long; at most "
            f"{WIDTHS['transaction_code']} are allowed",
        )
    return code


def parse_camt053(data: bytes) -> ParseResult:
    """Read a camt.053 document (one or several statements) or raise :class:`StatementError`."""
    return _Reader().read(data)
