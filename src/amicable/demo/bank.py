"""The agency's bank, for the demo: the day's credits written as a CODA or a camt.053 file.

The demo imports its payments the way an agency does, through the statements import
(``amicable.payments.statement_import``), so the statements must be what a Belgian bank sends:
CODA 2.6 records (docs/formats.md, section 3; totals, record count and balances computed as a
bank computes them) or an ISO 20022 camt.053.001.08 document (section 5), with the debtor's
structured communication (OGM) where they typed it and free text where they did not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

__all__ = ["Credit", "camt053", "coda"]

RECORD = 128
HOLDER = "AMICABLE DEMO SRL"


@dataclass(frozen=True, slots=True)
class Credit:
    """One transfer received: amount, who paid, and the communication they gave."""

    amount: Decimal
    reference: str  # the bank's own reference of the movement, unique
    name: str
    account: str
    ogm: str = ""  # the 12 digits of a structured communication, or ""
    text: str = ""  # free communication when there is no OGM


def _fit(value: str, width: int) -> str:
    ascii_only = value.encode("ascii", "replace").decode("ascii")
    return ascii_only[:width].ljust(width)


def _amount(value: Decimal) -> str:
    return ("1" if value < 0 else "0") + f"{int(abs(value) * 1000):015d}"


def _day(value: date) -> str:
    return value.strftime("%d%m%y")


def _record(*parts: str) -> str:
    line = "".join(parts)
    if len(line) != RECORD:  # a programming error in this module, never the data's
        raise ValueError(f"A CODA record has {RECORD} characters, not {len(line)}.")
    return line


def coda(
    *, account: str, sequence: int, opening: Decimal, day: date, credits: Sequence[Credit]
) -> bytes:
    """A CODA file of one statement: ``credits`` booked on ``day``, from ``opening``."""
    account_zone = _fit(account, 31) + "   EUR"
    lines = [
        _record(
            "00000",
            _day(day),
            "000",
            "05",
            " " * 8,
            " " * 10,
            _fit(HOLDER, 26),
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
            f"{sequence % 1000:03d}",
            account_zone,
            _amount(opening),
            _day(day),
            _fit(HOLDER, 26),
            _fit("Collection account", 35),
            f"{sequence % 1000:03d}",
        ),
    ]
    total = Decimal(0)
    for number, credit in enumerate(credits, 1):
        seq = f"{number:04d}0000"
        zone = "1" + _fit("101" + credit.ogm, 53) if credit.ogm else "0" + _fit(credit.text, 53)
        lines.append(
            _record(
                "21",
                seq,
                _fit(credit.reference, 21),
                _amount(credit.amount),
                _day(day),
                "00150000",
                zone,
                _day(day),
                f"{sequence % 1000:03d}",
                "0",
                "1",
                " ",
                "0",
            )
        )
        lines.append(
            _record(
                "23",
                seq,
                _fit(credit.account, 34),
                "EUR",
                _fit(credit.name.upper(), 35),
                " " * 43,
                "0",
                " ",
                "0",
            )
        )
        total += credit.amount
    lines.append(
        _record(
            "8",
            f"{sequence % 1000:03d}",
            account_zone,
            _amount(opening + total),
            _day(day),
            " " * 64,
            "0",
        )
    )
    counted = sum(1 for line in lines if line[0] in "1238")
    lines.append(
        _record(
            "9",
            " " * 15,
            f"{counted:06d}",
            _amount(Decimal(0))[1:],
            _amount(total)[1:],
            " " * 75,
            "2",
        )
    )
    return ("\n".join(lines) + "\n").encode("ascii")


def _balance(code: str, amount: Decimal, on: date) -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{amount:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        f"<Dt><Dt>{on.isoformat()}</Dt></Dt></Bal>\n"
    )


def camt053(
    *, account: str, sequence: int, opening: Decimal, day: date, credits: Sequence[Credit]
) -> bytes:
    """A camt.053.001.08 document of one statement: ``credits`` booked on ``day``."""
    total = sum((credit.amount for credit in credits), Decimal(0))
    entries = []
    for credit in credits:
        if credit.ogm:
            remittance = (
                "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr>"
                f"</Tp><Ref>{credit.ogm}</Ref></CdtrRefInf></Strd>"
            )
        else:
            remittance = f"<Ustrd>{escape(credit.text[:140])}</Ustrd>"
        entries.append(
            f'<Ntry><Amt Ccy="EUR">{credit.amount:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{day.isoformat()}</Dt></BookgDt>"
            f"<ValDt><Dt>{day.isoformat()}</Dt></ValDt>"
            f"<AcctSvcrRef>{escape(credit.reference)}</AcctSvcrRef>"
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly>"
            "</Domn></BkTxCd><NtryDtls><TxDtls>"
            f"<Refs><EndToEndId>{escape(credit.reference)}</EndToEndId></Refs>"
            f'<Amt Ccy="EUR">{credit.amount:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            f"<RltdPties><Dbtr><Pty><Nm>{escape(credit.name)}</Nm></Pty></Dbtr>"
            f"<DbtrAcct><Id><IBAN>{credit.account}</IBAN></Id></DbtrAcct></RltdPties>"
            f"<RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry>\n"
        )
    created = f"{day.isoformat()}T18:00:00+01:00"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">\n'
        "<BkToCstmrStmt>\n"
        f"<GrpHdr><MsgId>DEMO-{day:%Y%m%d}-{sequence}</MsgId><CreDtTm>{created}</CreDtTm>"
        "</GrpHdr>\n"
        f"<Stmt><Id>DEMO-STMT-{day:%Y%m%d}</Id><ElctrncSeqNb>{sequence}</ElctrncSeqNb>"
        f"<LglSeqNb>{sequence}</LglSeqNb><CreDtTm>{created}</CreDtTm>\n"
        f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        + _balance("OPBD", opening, day)
        + _balance("CLBD", opening + total, day)
        + "".join(entries)
        + "</Stmt>\n</BkToCstmrStmt>\n</Document>\n"
    ).encode()
