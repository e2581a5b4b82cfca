"""Fuzzing the statement readers: any input gives a result the database stores as it is, or a
clean StatementError; never another exception (``test_mutations.check_clean``).

Two kinds of input for each format: files built field by field from random values (every field
of the builders, with extreme amounts and dates, long and hostile texts, broken structures), and
real files damaged at random (the damage of test_mutations, and the tokens attacks use: NUL,
entity and DTD declarations, namespace declarations, comments, huge numbers). A few hundred run
in the normal suite; the ``slow`` ones (``make fuzz``) read 10,000 inputs for each format.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amicable.statements.model import MAX_AMOUNT
from tests.statements.builders import (
    DATA,
    CodaStatement,
    Movement,
    accented_utf8,
    camt_document,
    coda_file,
)
from tests.statements.test_mutations import check_clean

NORMAL = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# 10,000 inputs for each format: 5,000 built, 5,000 damaged.
SLOW = settings(NORMAL, max_examples=5000)

T = TypeVar("T", bound=Hashable)

# Strategies are built once: building one inside a draw costs more than the draw itself.


@cache
def _among(options: tuple[T, ...]) -> st.SearchStrategy[T]:
    return st.sampled_from(options)


def pick(draw: st.DrawFn, *options: T) -> T:
    return draw(_among(options))


@cache
def _between(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


def number(draw: st.DrawFn, low: int, high: int) -> int:
    return draw(_between(low, high))


@cache
def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def maybe(draw: st.DrawFn, strategy: st.SearchStrategy[T]) -> T | None:
    value: T | None = draw(_optional(strategy))
    return value


def flip(draw: st.DrawFn) -> bool:
    return draw(BOOLEANS)


def rarely(draw: st.DrawFn) -> bool:
    """True one time in twenty: for the wrong values of a field, so that most inputs get past it
    to the fields after it (away from the ends of the range, which hypothesis favours)."""
    return number(draw, 0, 39) in (7, 13)


BOOLEANS = st.booleans()

# Texts, by how often a field holds them: ordinary ones (names, references, accents, other
# scripts, placeholders, blanks), random ones, ones at or past a stored width, hostile ones
# (control characters and NUL, direction overrides, raw XML syntax). Picking from lists is what
# keeps generation cheap; drawing characters one by one costs most here. No lone surrogate,
# which no decoder produces.
ORDINARY = (
    "",
    " ",
    "NOTPROVIDED",
    "PEETERS AN",
    "Société Générale à Liège",
    "Jürgen Müller, Köln",
    "Ελένη Παπαδοπούλου",
    "日本語",
    "\U0001f600 merci",
    "Fact. +++020/3430/57642+++ merci",
    "+++090/9337/55493+++",
    "090933755493",
    "RF18539007547034",
    "BE71096123456769",
    "NL91ABNA0417164300",
    "GKCCBEBBXXX",
    "GEBABEBB",
    "AC04",
    "E2E-0001",
    "REF-2025-04-0001",
)
AT_THE_WIDTHS = ("N" * 34, "N" * 35, "N" * 36, "N" * 140, "N" * 141, "0" * 34, "9" * 200)
HOSTILE = (
    "A\x00B",
    "\x00",
    "\x01\x1f\x7f",
    "\t\n\r",
    "\u202eevil\u202c",
    "\ufffe",
    "&amp; <tag> ]]>",
    "]]>&#0;",
)
TEXTS = ORDINARY + AT_THE_WIDTHS + HOSTILE
RANDOM_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
# What XML 1.0 cannot hold, written or referenced.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(draw: st.DrawFn, width: int | None = None, *, xml: bool = False) -> str:
    """A text for a field: ordinary 80 % of the time, random 10 %, at or past a stored width
    6 %, hostile 4 % (and more, since hypothesis favours the ends of a range: the ordinary ones
    are at the low end, where it shrinks to). For an XML document, what XML cannot hold is taken
    out but for one text in two hundred, or nearly every document would stop at its first such
    character."""
    kind = number(draw, 0, 199)
    if kind < 160:
        value = pick(draw, *ORDINARY)
    elif kind < 180:
        value = draw(RANDOM_TEXT)
    elif kind < 192:
        value = pick(draw, *AT_THE_WIDTHS)
    else:
        value = pick(draw, *HOSTILE)
    if xml and kind != 197:
        value = NOT_XML.sub("", value)
    return value if width is None else value[:width]


def xml_text(draw: st.DrawFn) -> str | None:
    """A text for an optional element: absent a quarter of the time."""
    return None if number(draw, 0, 3) == 0 else text(draw, xml=True)


# -- CODA ----------------------------------------------------------------------------------------

# Amounts within CODA's 15 digits (three decimals), the extremes more often than by chance.
CODA_AMOUNTS = st.one_of(
    st.integers(-(10**15) + 1, 10**15 - 1).map(lambda n: Decimal(n) / 1000),
    st.sampled_from([MAX_AMOUNT, -MAX_AMOUNT, Decimal(0), Decimal("0.01")]),
)
CODA_DATES = st.dates(date(2000, 1, 1), date(2099, 12, 31))


@st.composite
def coda_movements(draw: st.DrawFn) -> Movement:
    kind = pick(draw, None, "100", "101", "101", "102", "103", "999")
    structured: tuple[str, str] | None = None
    if kind == "101" and flip(draw):
        structured = (kind, f"{number(draw, 0, 10**12 - 1):012d}")
    elif kind is not None:
        structured = (kind, text(draw, 50))
    return Movement(
        amount=draw(CODA_AMOUNTS),
        booking_date=draw(CODA_DATES),
        value_date=maybe(draw, CODA_DATES),
        sequence=number(draw, 0, 12_000),
        detail=number(draw, 0, 9998),  # the builder numbers a record 3.1 detail + 1
        code=f"{number(draw, 0, 10**8 - 1):08d}" if flip(draw) else text(draw, 8).ljust(8),
        structured=structured,
        communication=text(draw, 149),
        bank_reference=text(draw, 21),
        counterparty_name=text(draw, 35),
        counterparty_account=pick(draw, "", "BE71096123456769", "370121620105", "000000000000")
        if flip(draw)
        else text(draw, 34),
        counterparty_currency=text(draw, 3),
        counterparty_bic=text(draw, 11),
        end_to_end_id=text(draw, 35),
        r_type=pick(draw, " ", "1", "2", "3", "4", "5", "9"),
        reason=text(draw, 4),
        information_name=text(draw, 70),
        globalisation=number(draw, 0, 9),
    )


MOVEMENTS = st.lists(coda_movements(), max_size=4)
FREE_COMMUNICATIONS = st.lists(st.sampled_from(TEXTS).map(lambda value: value[:80]), max_size=2)


@st.composite
def coda_statements(draw: st.DrawFn) -> CodaStatement:
    opened = draw(CODA_DATES)
    movements = draw(MOVEMENTS)
    opening = draw(CODA_AMOUNTS)
    # The builder computes the closing balance and the trailer's totals, unless given: they are
    # given when they would not fit CODA's 15 digits (or at random, to disagree).
    totals = [sum((m.amount for m in movements if m.detail == 0 and m.amount > 0), Decimal(0))]
    totals.append(sum((-m.amount for m in movements if m.detail == 0 and m.amount < 0), Decimal(0)))
    totals.append(opening + totals[0] - totals[1])
    given = flip(draw) or any(abs(total) > MAX_AMOUNT for total in totals)
    return CodaStatement(
        account=text(draw, 31)
        if rarely(draw)
        else pick(draw, "BE68539007547034", "BE62510007547061"),
        opening=opening,
        opened_on=opened,
        closed_on=min(opened + timedelta(days=number(draw, 0, 3)), date(2099, 12, 31)),
        movements=movements,
        currency=pick(draw, "USD", "eur", "E1R", "   ") if rarely(draw) else "EUR",
        coda_sequence=number(draw, 0, 999),
        paper_sequence=number(draw, 0, 999),
        duplicate=flip(draw),
        free_communications=draw(FREE_COMMUNICATIONS),
        closing=draw(CODA_AMOUNTS) if given else None,
        trailer_credit=abs(draw(CODA_AMOUNTS)) if given else None,
        trailer_debit=abs(draw(CODA_AMOUNTS)) if given else None,
        last=flip(draw),
    )


CODA_STATEMENTS = st.lists(coda_statements(), min_size=1, max_size=2)


@st.composite
def coda_files(draw: st.DrawFn) -> bytes:
    return coda_file(
        *draw(CODA_STATEMENTS),
        newline=pick(draw, "\n", "\r\n", "\r"),
        encoding=pick(draw, "utf-8", "utf-8", "utf-16"),
    )


# -- camt.053 ------------------------------------------------------------------------------------

AMOUNTS = st.builds(
    lambda whole, decimals, places: f"{whole}.{decimals:0{places}d}" if places else str(whole),
    st.integers(0, 10**12),
    st.integers(0, 999),
    st.sampled_from([0, 2, 2, 2, 3]),
)
DATES = st.dates(date(1990, 1, 1), date(2100, 12, 31)).map(date.isoformat)
MOMENTS = st.datetimes(datetime(1990, 1, 1), datetime(2100, 12, 31)).map(datetime.isoformat)


def camt_amount(draw: st.DrawFn) -> str:
    if rarely(draw):
        return pick(
            draw,
            *("999999999999.999", "1000000000000", "99999999999999.99", "10.0001", "1" * 300),
            *("", "-5.00", "1E3", "12,50", " 1.00 ", "NaN", "Infinity", "0.00"),
        )
    return draw(AMOUNTS)


def camt_date(draw: st.DrawFn) -> str:
    if rarely(draw):
        return pick(draw, "2025-02-30", "25-03-04", "", "2025-03-04T25:00:00", "0000-00-00")
    return draw(DATES)


def currency(draw: st.DrawFn) -> str:
    return pick(draw, "USD", "eur", "EURO", "", "€", "E1R") if rarely(draw) else "EUR"


def indicator(draw: st.DrawFn) -> str | None:
    return pick(draw, None, "", "X", "CREDIT") if rarely(draw) else pick(draw, "CRDT", "DBIT")


REFERENCES = st.lists(st.sampled_from(ORDINARY), max_size=2)
LINES = st.lists(st.sampled_from(ORDINARY + AT_THE_WIDTHS), max_size=3)


def _element(name: str, value: str | None) -> str:
    return "" if value is None else f"<{name}>{escape(value)}</{name}>"


def _amount(value: str | None, currency: str) -> str:
    return "" if value is None else f"<Amt Ccy={quoteattr(currency)}>{escape(value)}</Amt>"


@st.composite
def camt_transactions(draw: st.DrawFn) -> str:
    parts = [
        _amount(None if flip(draw) else camt_amount(draw), currency(draw)),
        _element("CdtDbtInd", None if flip(draw) else indicator(draw)),
        "<Refs>"
        + _element("EndToEndId", xml_text(draw))
        + _element("AcctSvcrRef", xml_text(draw))
        + "</Refs>",
    ]
    for side in ("Dbtr", "Cdtr")[: number(draw, 0, 2)]:
        name = _element("Nm", xml_text(draw))
        party = name if flip(draw) else f"<Pty>{name}</Pty>"
        account = _element("IBAN" if flip(draw) else "Othr", xml_text(draw))
        bic = _element(pick(draw, "BICFI", "BIC"), xml_text(draw))
        parts.append(
            f"<RltdPties><{side}>{party}</{side}><{side}Acct><Id>{account}</Id></{side}Acct>"
            f"</RltdPties><RltdAgts><{side}Agt><FinInstnId>{bic}</FinInstnId></{side}Agt>"
            "</RltdAgts>"
        )
    parts.append(
        "<RmtInf>"
        + "".join(_element("Ustrd", line) for line in draw(LINES))
        + "".join(
            f"<Strd><CdtrRefInf>{_element('Ref', reference)}</CdtrRefInf></Strd>"
            for reference in draw(REFERENCES)
        )
        + "</RmtInf>"
    )
    reason = _element(pick(draw, "Cd", "Prtry"), xml_text(draw))
    parts.append(f"<RtrInf><Rsn>{reason}</Rsn></RtrInf>")
    parts.append(_element("AddtlTxInf", xml_text(draw)))
    if flip(draw):
        parts.reverse()
    return "<TxDtls>" + "".join(parts) + "</TxDtls>"


TRANSACTIONS = st.lists(camt_transactions(), max_size=3)
CODES = st.one_of(
    st.sampled_from(
        [
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly>"
            "</Domn></BkTxCd>",
            "",
        ]
    ),
    st.sampled_from(ORDINARY + AT_THE_WIDTHS).map(
        lambda code: f"<BkTxCd><Prtry><Cd>{escape(code)}</Cd></Prtry></BkTxCd>"
    ),
)


@st.composite
def camt_entries(draw: st.DrawFn) -> str:
    transactions = draw(TRANSACTIONS)
    batch = maybe(draw, _between(0, 5))
    announced = "" if batch is None else f"<Btch><NbOfTxs>{batch}</NbOfTxs></Btch>"
    details = (
        f"<NtryDtls>{announced}{''.join(transactions)}</NtryDtls>"
        if transactions or announced
        else ""
    )
    booked = (
        _element("DtTm", draw(MOMENTS))
        if rarely(draw)
        else _element("Dt", None if rarely(draw) else camt_date(draw))
    )
    return (
        "<Ntry>"
        + _amount(None if rarely(draw) else camt_amount(draw), currency(draw))
        + _element("CdtDbtInd", indicator(draw))
        + (
            pick(draw, "<Sts>PDNG</Sts>", "<Sts><Cd>INFO</Cd></Sts>", "")
            if rarely(draw)
            else pick(draw, "<Sts>BOOK</Sts>", "<Sts><Cd>BOOK</Cd></Sts>")
        )
        + _element("RvslInd", pick(draw, None, "true", "false", "1"))
        + f"<BookgDt>{booked}</BookgDt>"
        + f"<ValDt>{_element('Dt', None if flip(draw) else camt_date(draw))}</ValDt>"
        + _element("AcctSvcrRef", xml_text(draw))
        + draw(CODES)
        + _element("AddtlNtryInf", xml_text(draw))
        + details
        + "</Ntry>"
    )


ENTRIES = st.lists(camt_entries(), max_size=4)
BALANCE_CODES = st.lists(st.sampled_from(["OPBD", "PRCD", "CLBD", "XXXX"]), max_size=3)


@st.composite
def camt_statements(draw: st.DrawFn) -> str:
    balances = "".join(
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        + _amount(camt_amount(draw), currency(draw))
        + _element("CdtDbtInd", indicator(draw))
        + f"<Dt>{_element('Dt', camt_date(draw))}</Dt></Bal>"
        for code in draw(BALANCE_CODES)
    )
    account = (
        text(draw, xml=True)
        if rarely(draw)
        else pick(draw, "BE68539007547034", "BE68 5390 0754 7034")
    )
    identification = (
        _element("IBAN", account) if flip(draw) else f"<Othr>{_element('Id', account)}</Othr>"
    )
    return (
        "<Stmt>"
        + _element("Id", xml_text(draw))
        + _element("ElctrncSeqNb", str(number(draw, 0, 10**20)))
        + _element("LglSeqNb", xml_text(draw))
        + _element("CreDtTm", None if flip(draw) else draw(MOMENTS))
        + f"<Acct><Id>{identification}</Id>{_element('Ccy', currency(draw))}</Acct>"
        + balances
        + "".join(draw(ENTRIES))
        + _element("AddtlStmtInf", xml_text(draw))
        + "</Stmt>"
    )


CAMT_STATEMENTS = st.lists(camt_statements(), min_size=1, max_size=2)


@st.composite
def camt_files(draw: st.DrawFn) -> bytes:
    document = camt_document("".join(draw(CAMT_STATEMENTS)), version=pick(draw, "02", "04", "08"))
    if flip(draw) and flip(draw):
        utf16 = document.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
        return utf16.encode("utf-16")
    return document


# -- damage --------------------------------------------------------------------------------------

TOKENS = (
    b"\x00",
    b"&#0;",
    b"&#x0;",
    b"&e;",
    b'<!DOCTYPE Document [<!ENTITY e "EXPANDED">]>',
    b'<!DOCTYPE Document SYSTEM "http://example.invalid/x.dtd">',
    b"<!--",
    b"-->",
    b"--",
    b' xmlns="urn:x"',
    b' xmlns:p="urn:x"',
    b"<![CDATA[",
    b"]]>",
    b"<?x ?>",
    b"99999999999999999999.999",
    b"1" * 400,
    b"0.0001",
    b"-1",
    b"1E3",
    b"NaN",
    b"\r",
    b"\r\n",
    b"\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xe9",
    b"\x1a",
    b"N" * 200,
)
DAMAGE = st.sampled_from(["insert", "replace", "delete", "duplicate", "splice", "cut"])
BYTES = st.binary(max_size=8)
FILES = [path.read_bytes() for path in sorted(DATA.glob("*"))] + [accented_utf8()]
CODA_FILES = [data for data in FILES if data.startswith(b"0")]
CAMT_FILES = [data for data in FILES if not data.startswith(b"0")]


@st.composite
def damaged_files(
    draw: st.DrawFn, files: tuple[bytes, ...], tokens: tuple[bytes, ...] = TOKENS
) -> bytes:
    """A real file damaged one to three times: a token inserted or put in place of a span, a
    span deleted, repeated or taken from another file, the file cut short."""
    data = pick(draw, *files)
    for _ in range(number(draw, 1, 3)):
        at = number(draw, 0, len(data))
        end = number(draw, at, min(len(data), at + 200))
        kind = draw(DAMAGE)
        if kind == "insert":
            data = data[:at] + pick(draw, *tokens) + data[at:]
        elif kind == "replace":
            data = data[:at] + (pick(draw, *tokens) if flip(draw) else draw(BYTES)) + data[end:]
        elif kind == "delete":
            data = data[:at] + data[end:]
        elif kind == "duplicate":
            data = data[:end] + data[at:end] + data[end:]
        elif kind == "splice":
            other = pick(draw, *files)
            start = number(draw, 0, len(other))
            data = data[:at] + other[start : start + number(draw, 0, 400)] + data[end:]
        else:
            data = data[:at]
    return data


def test_the_damaged_files_are_of_both_formats() -> None:
    assert len(CODA_FILES) >= 5
    assert len(CAMT_FILES) >= 2


# -- the tests -----------------------------------------------------------------------------------


@NORMAL
@given(coda_files())
def test_built_coda_files(data: bytes) -> None:
    check_clean(data)


@NORMAL
@given(camt_files())
def test_built_camt_documents(data: bytes) -> None:
    check_clean(data)


@NORMAL
@given(damaged_files(tuple(FILES)), st.sampled_from([None, "coda", "camt053"]))
def test_damaged_statements(data: bytes, format: str | None) -> None:
    check_clean(data, format=format)


@pytest.mark.slow
@SLOW
@given(coda_files())
def test_built_coda_files_at_length(data: bytes) -> None:
    check_clean(data)


@pytest.mark.slow
@SLOW
@given(damaged_files(tuple(CODA_FILES)))
def test_damaged_coda_files_at_length(data: bytes) -> None:
    check_clean(data, format="coda")


@pytest.mark.slow
@SLOW
@given(camt_files())
def test_built_camt_documents_at_length(data: bytes) -> None:
    check_clean(data)


@pytest.mark.slow
@SLOW
@given(damaged_files(tuple(CAMT_FILES)))
def test_damaged_camt_documents_at_length(data: bytes) -> None:
    check_clean(data, format="camt053")
