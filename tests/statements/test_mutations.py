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


def check_clean(data: bytes) -> None:
    """Only a StatementError may escape, and a result must hold only well-formed values."""
    try:
        result = parse_statement(data)
    except StatementError as error:
        failure = error
    else:
        failure = None
    if failure is not None:
        assert _clean_error(failure)
        return
    assert isinstance(result, ParseResult)
    for movement in result.movements:
        assert isinstance(movement.amount, Decimal)
        assert movement.amount.is_finite()
        assert isinstance(movement.booking_date, date)
        assert len(movement.identity) == 64
    for warning in result.warnings:
        assert warning.location
        assert warning.message


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
