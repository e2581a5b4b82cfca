"""Format detection, the shared result types and the error type."""

from __future__ import annotations

import codecs
import doctest
from datetime import date
from decimal import Decimal

import pytest

import amicable.statements
from amicable.statements import (
    ParseResult,
    Statement,
    StatementError,
    Warning,
    camt,
    coda,
    detect_format,
    model,
    parse_statement,
)
from amicable.statements.model import in_cents, movement_identity
from tests.statements.builders import DATA

CODA = (DATA / "coda_two_statements_return.cod").read_bytes()
CAMT = (DATA / "camt053_001_08_batch.xml").read_bytes()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(CODA, "coda", id="coda"),
        pytest.param(CAMT, "camt053", id="camt"),
        pytest.param(b"\n  " + CAMT, "camt053", id="camt_after_blanks"),
        pytest.param(codecs.BOM_UTF8 + CAMT, "camt053", id="camt_utf8_bom"),
        pytest.param(CAMT.decode().encode("utf-16"), "camt053", id="camt_utf16"),
        pytest.param(CAMT.decode().encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]),
                     "camt053", id="camt_utf16_be"),
    ],
)  # fmt: skip
def test_detect_format(data: bytes, expected: str) -> None:
    assert detect_format(data) == expected


@pytest.mark.parametrize(
    ("data", "location", "message"),
    [
        pytest.param(b"", "file", "the file is empty", id="empty"),
        pytest.param(b" \r\n", "file", "the file is empty", id="blank"),
        pytest.param(
            b":20:STARTUMS\r\n:25:BE68539007547034",
            "line 1",
            "unknown format: neither a CODA file (header record 0) nor a camt.053 document",
            id="mt940",
        ),
        pytest.param(
            b"%PDF-1.7",
            "line 1",
            "unknown format: neither a CODA file (header record 0) nor a camt.053 document",
            id="pdf",
        ),
    ],
)
def test_unknown_content_is_a_clean_error(data: bytes, location: str, message: str) -> None:
    with pytest.raises(StatementError) as raised:
        parse_statement(data)

    assert (raised.value.location, raised.value.message) == (location, message)
    assert str(raised.value) == f"{location}: {message}"


def test_a_chosen_format_is_not_second_guessed() -> None:
    with pytest.raises(StatementError) as raised:
        parse_statement(CODA, format="camt053")

    assert raised.value.location == "line 1, column 0"

    with pytest.raises(StatementError, match=r"^line 1: not a CODA file: no header record 0$"):
        parse_statement(CAMT, format="coda")


def test_an_unknown_format_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="Unknown statement format 'mt940'"):
        parse_statement(CODA, format="mt940")


def test_result_lists_every_movement_in_file_order() -> None:
    result = parse_statement(CODA)

    assert isinstance(result, ParseResult)
    assert [m.amount for m in result.movements] == [Decimal("250.00"), Decimal("-250.00")]
    assert [m.statement for m in result.movements] == [s.identity for s in result.statements]


def test_the_types_are_frozen_values() -> None:
    statement = parse_statement(CODA).statements[0]

    with pytest.raises(AttributeError):
        statement.number = "999"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        statement.movements[0].amount = Decimal(0)  # type: ignore[misc]
    assert isinstance(statement, Statement)
    assert str(Warning("line 3", "something")) == "line 3: something"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        pytest.param(Decimal("-122.400"), "-122.40", id="third_decimal_zero"),
        pytest.param(Decimal("0.125"), "0.125", id="third_decimal_kept"),
        pytest.param(Decimal("789904.4"), "789904.40", id="one_decimal"),
        pytest.param(Decimal("0"), "0.00", id="zero"),
    ],
)
def test_in_cents(amount: Decimal, expected: str) -> None:
    assert str(in_cents(amount)) == expected


def test_movement_identity_separates_its_parts() -> None:
    assert movement_identity("ab", "c") != movement_identity("a", "bc")
    assert movement_identity("a", "b") == movement_identity("a", "b")
    assert len(movement_identity("x")) == 64


def test_dates_are_read_in_the_21st_century() -> None:
    [first, _] = parse_statement(CODA).statements

    assert first.opening_date == date(2025, 3, 9)


@pytest.mark.parametrize(
    "module", [amicable.statements, camt, coda, model], ids=lambda module: module.__name__
)
def test_docstring_examples(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]
