"""Damaged files give a clean result or a clean StatementError: never a traceback.

Each example takes a good file and damages it the way transfers and tools do (a byte flipped, a
character replaced, a line dropped, duplicated, truncated or swapped, the file cut short).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amicable.statements import ParseResult, StatementError, parse_statement
from amicable.statements.model import WIDTHS, amount_out_of_range
from tests.statements.builders import DATA

CODA_FILES = [path.read_bytes() for path in sorted(DATA.glob("*.cod"))]
CAMT_FILES = [path.read_bytes() for path in sorted(DATA.glob("*.xml"))]
# Characters that keep a CODA field plausible, so damage reaches past the first check.
PLAUSIBLE = b"0123456789 0123456789 AZ+/\r\n\xe9"


@st.composite
def damaged(draw: st.DrawFn, files: list[bytes]) -> bytes:
    data = draw(st.sampled_from(files))
    lines = data.split(b"\n")
    line = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    kind = draw(
        st.sampled_from(
            ["flip", "plausible", "drop", "duplicate", "truncate_line", "swap", "cut_file"]
        )
    )
    if kind in ("flip", "plausible"):
        position = draw(st.integers(min_value=0, max_value=len(data) - 1))
        if kind == "flip":
            value = draw(st.integers(min_value=0, max_value=255))
        else:
            value = draw(st.sampled_from(PLAUSIBLE))
        return data[:position] + bytes([value]) + data[position + 1 :]
    if kind == "drop":
        del lines[line]
    elif kind == "duplicate":
        lines.insert(line, lines[line])
    elif kind == "truncate_line":
        lines[line] = lines[line][: draw(st.integers(min_value=0, max_value=len(lines[line])))]
    elif kind == "swap":
        other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        lines[line], lines[other] = lines[other], lines[line]
    else:
        return data[: draw(st.integers(min_value=0, max_value=len(data)))]
    return b"\n".join(lines)


def _clean_error(error: StatementError) -> bool:
    return bool(error.location and error.message) and str(error) == (
        f"{error.location}: {error.message}"
    )


def _storable(text: str | None, width: str | None = None) -> bool:
    """What the database stores: no NUL, no lone surrogate, within the column's width."""
    if text is None:
        return True
    if "\x00" in text or any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        return False
    return width is None or len(text) <= WIDTHS[width]


def _storable_amount(amount: Decimal | None) -> bool:
    return amount is None or (
        isinstance(amount, Decimal) and amount.is_finite() and amount_out_of_range(amount) is None
    )


def check_clean(data: bytes, *, format: str | None = None) -> ParseResult | None:
    """Only a StatementError may escape, and a result must hold only values the database
    stores as they are (the widths and amounts of ``model``, no NUL): what ``payments``
    stores of a statement, checked on every result."""
    failure: StatementError | None = None
    try:
        result = parse_statement(data, format=format)
    except StatementError as error:
        failure = error
    if failure is not None:
        assert _clean_error(failure)
        return None
    assert isinstance(result, ParseResult)
    for statement in result.statements:
        assert _storable(statement.account, "account")
        assert _storable(statement.currency, "currency")
        assert _storable(statement.number, "statement_number")
        assert _storable(statement.identity, "statement_identity")
        assert _storable_amount(statement.opening_balance)
        assert _storable_amount(statement.closing_balance)
        assert all(_storable(text) for text in statement.information)
    for movement in result.movements:
        assert _storable_amount(movement.amount)
        assert isinstance(movement.booking_date, date)
        assert movement.value_date is None or isinstance(movement.value_date, date)
        assert len(movement.identity) == 64
        assert _storable(movement.statement, "statement_identity")
        for width in WIDTHS:
            if not width.startswith("statement_"):
                assert _storable(getattr(movement, width), width), width
        assert _storable(movement.communication)
        assert all(_storable(text) for text in movement.information)
    for warning in result.warnings:
        assert warning.location
        assert warning.message
    return result


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(damaged(CODA_FILES))
def test_damaged_coda_files(data: bytes) -> None:
    check_clean(data)


@SETTINGS
@given(damaged(CAMT_FILES))
def test_damaged_camt_documents(data: bytes) -> None:
    check_clean(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes(data: bytes) -> None:
    check_clean(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789 12", min_size=120, max_size=130), max_size=8))
def test_arbitrary_records_after_a_header(records: list[str]) -> None:
    header = CODA_FILES[0].split(b"\n")[0]
    check_clean(b"\n".join([header, *(record.encode() for record in records)]))
