"""Build CODA records and camt.053 documents from named fields, for the cases no sample has.

The CODA builder writes the Febelfin 2.6 positions of docs/formats.md, section 3 and computes what a
bank computes (link codes, record count, totals, new balance), so a test states only what it is
about. The files under ``data/`` are written by :func:`write_data_files` (see test_data_files).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).parent / "data"
RECORD = 128


def _record(*parts: str) -> str:
    line = "".join(parts)
    assert len(line) == RECORD, (len(line), line)
    return line


def _amount(value: Decimal) -> str:
    """Sign digit + 15 digits with three decimals."""
    return ("1" if value < 0 else "0") + f"{int(abs(value) * 1000):015d}"


def _date(value: date | None) -> str:
    return value.strftime("%d%m%y") if value else "000000"


def _text(value: str, width: int) -> str:
    assert len(value) <= width, (value, width)
    return value.ljust(width)


@dataclass
class Movement:
    """One record 2.1 (and its 2.2/2.3/3.1 when their fields are set)."""

    amount: Decimal
    booking_date: date
    value_date: date | None = None
    sequence: int = 0  # 0: numbered by the statement
    detail: int = 0
    code: str = "00150000"
    structured: tuple[str, str] | None = None  # (type "101"/"100"..., data)
    communication: str = ""  # free text, cut over 2.1 (53), 2.2 (53) and 2.3 (43)
    bank_reference: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""
    counterparty_currency: str = ""
    counterparty_bic: str = ""
    end_to_end_id: str = ""
    r_type: str = " "
    reason: str = ""
    information_name: str = ""  # a record 3.1 of type 001
    globalisation: int = 0


@dataclass
class CodaStatement:
    account: str  # a Belgian IBAN (account structure 2)
    opening: Decimal
    opened_on: date
    closed_on: date
    movements: Sequence[Movement] = ()
    currency: str = "EUR"
    coda_sequence: int = 1
    paper_sequence: int = 1
    holder: str = "AMICABLE SRL"
    duplicate: bool = False
    free_communications: Sequence[str] = ()
    closing: Decimal | None = None  # None: computed from the movements
    record_8_account: str | None = None
    trailer_records: int | None = None
    trailer_credit: Decimal | None = None
    trailer_debit: Decimal | None = None
    last: bool = True
    extra: list[str] = field(default_factory=list)


def _movement_records(item: Movement, sequence: int, paper: int) -> list[str]:
    seq = f"{sequence % 10_000:04d}{item.detail:04d}"
    if item.structured is not None:
        kind, data = item.structured
        zones = ["1" + _text(kind + data, 53), "", ""]
    else:
        text = item.communication
        zones = ["0" + _text(text[:53], 53), text[53:106], text[106:149]]
    has_22 = bool(zones[1] or item.end_to_end_id or item.counterparty_bic or item.reason)
    has_22 = has_22 or item.r_type.strip() != ""
    has_23 = bool(zones[2] or item.counterparty_name or item.counterparty_account)
    has_3 = bool(item.information_name)
    records = [
        _record(
            "21",
            seq,
            _text(item.bank_reference, 21),
            _amount(item.amount),
            _date(item.value_date),
            item.code,
            zones[0],
            _date(item.booking_date),
            f"{paper:03d}",
            str(item.globalisation),
            "1" if has_22 or has_23 else "0",
            " ",
            "1" if has_3 else "0",
        )
    ]
    if has_22 or has_23:
        records.append(
            _record(
                "22",
                seq,
                _text(zones[1], 53),
                _text(item.end_to_end_id, 35),
                _text(item.counterparty_bic, 11),
                "   ",
                item.r_type,
                _text(item.reason, 4),
                "    ",
                "    ",
                "1" if has_23 else "0",
                " ",
                "1" if has_3 and not has_23 else "0",
            )
        )
    if has_23:
        records.append(
            _record(
                "23",
                seq,
                _text(item.counterparty_account, 34),
                _text(item.counterparty_currency, 3),
                _text(item.counterparty_name, 35),
                _text(zones[2], 43),
                "0",
                " ",
                "1" if has_3 else "0",
            )
        )
    if has_3:
        records.append(
            _record(
                "31",
                f"{sequence % 10_000:04d}{item.detail + 1:04d}",
                _text(item.bank_reference, 21),
                item.code,
                "1001",
                _text(item.information_name, 70),
                " " * 12,
                "0",
                " ",
                "0",
            )
        )
    return records


def _account_zone(account: str, currency: str) -> str:
    return _text(account, 31) + "   " + currency


def coda_lines(statement: CodaStatement, *, created: date | None = None) -> list[str]:
    """The records of one logical CODA file (0 ... 9)."""
    created = created or statement.closed_on
    lines = [
        _record(
            "00000",
            _date(created),
            "000",
            "05",
            "D" if statement.duplicate else " ",
            " " * 7,
            " " * 10,
            _text(statement.holder, 26),
            "GKCCBEBB   ",
            "00123456749",
            " ",
            "00000",
            " " * 16,
            " " * 16,
            " " * 7,
            "2",
        ),
        _record(
            "12",
            f"{statement.paper_sequence:03d}",
            _account_zone(statement.account, statement.currency),
            _amount(statement.opening),
            _date(statement.opened_on),
            _text(statement.holder, 26),
            _text("Collection account", 35),
            f"{statement.coda_sequence:03d}",
        ),
    ]
    debit = credit = Decimal(0)
    sequence = 0
    for item in statement.movements:
        if item.sequence:
            sequence = item.sequence
        elif item.detail == 0:
            sequence += 1
        lines += _movement_records(item, sequence, statement.paper_sequence)
        if item.detail == 0:
            if item.amount < 0:
                debit -= item.amount
            else:
                credit += item.amount
    closing = statement.opening + credit - debit if statement.closing is None else statement.closing
    free = list(statement.free_communications)
    lines.append(
        _record(
            "8",
            f"{statement.paper_sequence:03d}",
            _account_zone(statement.record_8_account or statement.account, statement.currency),
            _amount(closing),
            _date(statement.closed_on),
            " " * 64,
            "1" if free else "0",
        )
    )
    for index, text in enumerate(free):
        lines.append(
            _record(
                "4 ",
                f"{index + 1:04d}0000",
                " " * 22,
                _text(text, 80),
                " " * 15,
                "1" if index + 1 < len(free) else "0",
            )
        )
    counted = sum(1 for line in lines if line[0] in "1238")
    lines.append(
        _record(
            "9",
            " " * 15,
            f"{statement.trailer_records or counted:06d}",
            _amount(statement.trailer_debit if statement.trailer_debit is not None else debit)[1:],
            _amount(statement.trailer_credit if statement.trailer_credit is not None else credit)[
                1:
            ],
            " " * 75,
            "2" if statement.last else "1",
        )
    )
    return lines + statement.extra


def coda_file(*statements: CodaStatement, newline: str = "\n", encoding: str = "ascii") -> bytes:
    lines = [line for statement in statements for line in coda_lines(statement)]
    return (newline.join(lines) + newline).encode(encoding)


# -- camt.053 ---------------------------------------------------------------------------------


def camt_document(statements: str, *, version: str = "08") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">\n'
        "<BkToCstmrStmt>\n"
        "<GrpHdr><MsgId>AMICABLE-TEST</MsgId><CreDtTm>2025-03-04T18:00:00+01:00</CreDtTm>"
        "</GrpHdr>\n"
        f"{statements}"
        "</BkToCstmrStmt>\n"
        "</Document>\n"
    ).encode()


def camt_balance(code: str, amount: str, on: str, *, indicator: str = "CRDT") -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>'
        f"<Dt><Dt>{on}</Dt></Dt></Bal>\n"
    )


def camt_statement(
    *,
    identifier: str,
    account: str,
    opening: str,
    closing: str,
    entries: str,
    opened_on: str = "2025-03-03",
    closed_on: str = "2025-03-04",
    sequence: str = "42",
) -> str:
    return (
        f"<Stmt><Id>{identifier}</Id><ElctrncSeqNb>{sequence}</ElctrncSeqNb>"
        f"<LglSeqNb>{sequence}</LglSeqNb><CreDtTm>2025-03-04T18:00:00+01:00</CreDtTm>\n"
        f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        + camt_balance("OPBD", opening, opened_on)
        + camt_balance("CLBD", closing, closed_on)
        + entries
        + "</Stmt>\n"
    )


# -- the files under data/ --------------------------------------------------------------------

OUR_ACCOUNT = "BE68539007547034"
D3, D4 = date(2025, 3, 3), date(2025, 3, 4)


def _references_statement() -> CodaStatement:
    return CodaStatement(
        account=OUR_ACCOUNT,
        opening=Decimal("1000.00"),
        opened_on=D3,
        closed_on=D4,
        coda_sequence=42,
        paper_sequence=42,
        movements=[
            Movement(
                Decimal("150.00"),
                D4,
                D4,
                structured=("100", "RF18539007547034"),
                bank_reference="REF-RF-1",
                counterparty_name="JANSSENS JAN",
                counterparty_account="BE71096123456769",
                counterparty_bic="GKCCBEBB",
                end_to_end_id="E2E-RF-1",
                information_name="JANSSENS JAN",
            ),
            Movement(
                Decimal("75.50"),
                D4,
                D4,
                structured=("101", "010806817183"),
                bank_reference="REF-OGM-101",
                counterparty_name="PEETERS AN",
                counterparty_account="BE62510007547061",
                counterparty_currency="EUR",
                counterparty_bic="GEBABEBB",
            ),
            Movement(
                Decimal("20.00"),
                D4,
                D3,
                structured=("102", "090933755493"),
                bank_reference="REF-OGM-102",
                counterparty_name="CLAES MARIE",
                counterparty_account="370121620105",
            ),
            Movement(
                Decimal("33.00"),
                D4,
                D4,
                structured=("101", "000003505158"),
                bank_reference="REF-BAD-101",
            ),
            Movement(
                Decimal("12.34"),
                D4,
                None,
                communication="Facture 2025-001 +++020/3430/57642+++ merci",
                bank_reference="REF-FREE-1",
            ),
            Movement(
                Decimal("40.00"),
                D4,
                D4,
                communication="+++240/2838/42818+++",
                bank_reference="REF-FREE-2",
            ),
            Movement(
                Decimal("-5.00"),
                D4,
                D4,
                code="00437000",
                communication="Frais de tenue de compte, mois de fevrier, forfait",
            ),
        ],
    )


def _accented_statement() -> CodaStatement:
    return CodaStatement(
        account=OUR_ACCOUNT,
        opening=Decimal("0.00"),
        opened_on=D3,
        closed_on=D4,
        holder="SOCIÉTÉ AMIABLE",
        movements=[
            Movement(
                Decimal("61.00"),
                D4,
                D4,
                communication="Réf. dossier AM00000012 – solde 61 €, reçu avec mes excuses",
                counterparty_name="FRANÇOISE DUPRÉ",
                counterparty_account="BE71096123456769",
            ),
            Movement(
                Decimal("25.00"),
                D4,
                D4,
                structured=("101", "123123412328"),
                counterparty_name="JÜRGEN MÜLLER",
                counterparty_account="DE89370400440532013000",
                information_name="JÜRGEN MÜLLER, KÖLN",
            ),
        ],
    )


def _globalisation_statement() -> CodaStatement:
    details = [
        ("100.00", "010806817183", "PEETERS AN", "BE62510007547061"),
        ("150.00", "090933755493", "CLAES MARIE", "BE71096123456769"),
        ("50.00", "123123412328", "MAES PIETER", "NL91ABNA0417164300"),
    ]
    return CodaStatement(
        account=OUR_ACCOUNT,
        opening=Decimal("0.00"),
        opened_on=D3,
        closed_on=D4,
        movements=[
            Movement(
                Decimal("300.00"),
                D4,
                D4,
                code="20150000",
                communication="VIREMENTS AVEC COMMUNICATION STRUCTUREE",
                bank_reference="GLOB-0001",
                globalisation=1,
            ),
            *(
                Movement(
                    Decimal(amount),
                    D4,
                    D4,
                    sequence=1,
                    detail=number,
                    code="60150000",
                    structured=("101", ogm),
                    bank_reference=f"GLOB-0001-{number}",
                    counterparty_name=name,
                    counterparty_account=account,
                    end_to_end_id=f"E2E-GLOB-{number}",
                    globalisation=1 if number == len(details) else 0,
                )
                for number, (amount, ogm, name, account) in enumerate(details, 1)
            ),
            Movement(
                Decimal("95.00"),
                D4,
                D4,
                code="34150000",
                communication="INVOICE 2025-77",
                bank_reference="FOREIGN-1",
                counterparty_name="OLGERDIN EHF",
                counterparty_account="IS140159260076545510730339",
                globalisation=1,
            ),
            Movement(
                Decimal("100.00"),
                D4,
                D4,
                sequence=2,
                detail=1,
                code="84150000",
                bank_reference="FOREIGN-1",
            ),
            Movement(
                Decimal("-5.00"),
                D4,
                D4,
                sequence=2,
                detail=2,
                code="84137000",
                bank_reference="FOREIGN-1",
                globalisation=1,
            ),
            Movement(Decimal("10.00"), D4, D4, communication="SIMPLE", bank_reference="S-1"),
        ],
    )


def _payment_and_return() -> list[CodaStatement]:
    payment = Movement(
        Decimal("250.00"),
        date(2025, 3, 10),
        date(2025, 3, 10),
        structured=("101", "123123412328"),
        bank_reference="PAY-1",
        counterparty_name="MAES PIETER",
        counterparty_account="BE71096123456769",
        counterparty_bic="GKCCBEBB",
        end_to_end_id="E2E-PAY-1",
    )
    returned = replace(
        payment,
        amount=Decimal("-250.00"),
        booking_date=date(2025, 3, 11),
        code="00149000",
        bank_reference="RETURN-1",
        r_type="2",
        reason="AC04",
    )
    return [
        CodaStatement(
            account=OUR_ACCOUNT,
            opening=Decimal("500.00"),
            opened_on=date(2025, 3, 9),
            closed_on=date(2025, 3, 10),
            coda_sequence=10,
            paper_sequence=10,
            movements=[payment],
            last=False,
        ),
        CodaStatement(
            account=OUR_ACCOUNT,
            opening=Decimal("750.00"),
            opened_on=date(2025, 3, 10),
            closed_on=date(2025, 3, 11),
            coda_sequence=11,
            paper_sequence=11,
            movements=[returned],
            free_communications=[
                "Votre gestionnaire de compte a change.",
                "Merci de votre confiance.",
            ],
        ),
    ]


def data_files() -> dict[str, bytes]:
    """The CODA files kept under data/, by name."""
    return {
        "coda_references_crlf.cod": coda_file(_references_statement(), newline="\r\n"),
        "coda_accented_cp1252.cod": coda_file(_accented_statement(), encoding="cp1252"),
        "coda_globalisation.cod": coda_file(_globalisation_statement()),
        "coda_two_statements_return.cod": coda_file(*_payment_and_return()),
    }


def accented_utf8() -> bytes:
    return coda_file(_accented_statement(), encoding="utf-8")


def write_data_files() -> None:
    for name, content in data_files().items():
        (DATA / name).write_bytes(content)


if __name__ == "__main__":
    write_data_files()
