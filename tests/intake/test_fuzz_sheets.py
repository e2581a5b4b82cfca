"""Fuzzing the sheet importer's reading and validation: any CSV or XLSX file gives a report of
its lines, each rejected line with its number and reason, or a clean SheetError; never another
exception (``read_sheet`` then ``check_lines``, which validates as ``import_files`` does and
creates nothing).

Sheets are built from random headers (missing, unknown, repeated, reordered columns) and lines
(valid values, hostile texts, numbers, dates and booleans in every spelling, cells of every XLSX
type), and real sheets are damaged at random (the CSV example, a workbook's ZIP archive and its
XML parts). A few hundred run in the normal suite; the ``slow`` ones (``make fuzz``) read 10,000.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from amicable.intake.importer import COLUMNS, SheetError, check_lines, read_sheet
from tests.intake.conftest import TODAY
from tests.intake.test_import import EXAMPLE, _line
from tests.statements.test_fuzz import TEXTS, damaged_files, flip, number, pick

pytestmark = [
    pytest.mark.django_db,
    # openpyxl warns of the damage it reads past (invalid relationships...): expected here.
    pytest.mark.filterwarnings("ignore::UserWarning:openpyxl"),
]

NORMAL = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
# 10,000 sheets in all: 4,000 built as CSV, 2,000 as XLSX, 2,000 damaged of each.
SLOW_CSV = settings(NORMAL, max_examples=4000)
SLOW_OTHERS = settings(NORMAL, max_examples=2000)


def check_sheet(content: bytes, name: str) -> None:
    """Only a SheetError may escape, and every rejected line is named with a reason."""
    failure: SheetError | None = None
    try:
        report = check_lines(
            read_sheet(io.BytesIO(content), name=name), today=TODAY, sector="energy"
        )
    except SheetError as error:
        failure = error
    if failure is not None:
        assert isinstance(failure.message, str)
        assert failure.message
        assert failure.line is None or failure.line >= 1
        return
    assert 0 <= report.lines_rejected <= report.lines
    assert report.files_created == report.claims_created == 0
    for error in report.errors:
        assert error.line >= 2
        assert error.reason


# -- values --------------------------------------------------------------------------------------

VALID = dict(zip(COLUMNS, _line().split(";"), strict=True))
SPELLINGS = (
    "120.50",
    "120,50",
    "1,234.56",
    "1.234,56",
    "-3",
    "0",
    "1e3",
    "NaN",
    "99999999999999999999.99",
    "0.001",
    "2025-02-14",
    "2025-02-30",
    "14/02/2025",
    "9999-12-31",
    "0001-01-01",
    "2025-02-14T10:00:00",
    "oui",
    "nee",
    "maybe",
    "fr",
    "xx",
    "paper",
    "BE",
    "be",
    "1000",
    "99999999999",
    "+32 470 12 34 56",
    "marie@example.be",
    "not an address",
)
TEXT_VALUES = st.one_of(
    st.sampled_from(TEXTS + SPELLINGS),
    st.sampled_from(TEXTS + SPELLINGS),
    st.sampled_from(TEXTS + SPELLINGS),
    st.text(max_size=30),
)
CELLS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(datetime(1900, 1, 1), datetime(9999, 12, 31)),
    st.dates(date(1900, 1, 1), date(9999, 12, 31)),
    st.booleans(),
)
REFERENCES = ("FILE-1", "FILE-1", "FILE-2", "", " ", "FILE-\x00")


def _value(draw: st.DrawFn, column: str) -> str:
    kind = number(draw, 0, 3)
    if kind == 0:
        return str(draw(TEXT_VALUES))
    if column == "file_reference":
        return pick(draw, *REFERENCES)
    return VALID[column]


@st.composite
def headers(draw: st.DrawFn) -> list[str]:
    columns = list(COLUMNS)
    change = number(draw, 0, 6)
    if change == 1:
        del columns[number(draw, 0, len(columns) - 1)]
    elif change == 2:
        columns.insert(number(draw, 0, len(columns)), pick(draw, "principle", "", "x" * 300))
    elif change == 3:
        columns.append(pick(draw, *COLUMNS))
    elif change == 4:
        columns.reverse()
    elif change == 5:
        columns = [f" {column.upper().replace('_', ' ')} " for column in columns]
    return columns


HEADERS = headers()


def lines(draw: st.DrawFn, columns: list[str]) -> list[list[str]]:
    known = [column.strip().lower().replace(" ", "_") for column in columns]
    return [
        [_value(draw, column) if column in VALID else "" for column in known]
        + ([draw(TEXT_VALUES)] if number(draw, 0, 9) == 0 else [])
        for _ in range(number(draw, 0, 5))
    ]


# -- CSV -----------------------------------------------------------------------------------------


@st.composite
def csv_sheets(draw: st.DrawFn) -> bytes:
    header = draw(HEADERS)
    rows = [header, *lines(draw, header)]
    delimiter = pick(draw, ";", ",", "\t")
    buffer = io.StringIO()
    if flip(draw):
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    else:  # joined as a careless tool does: quotes and separators inside values break it
        buffer.write("\n".join(delimiter.join(row) for row in rows))
    text = buffer.getvalue()
    encoding = pick(draw, "utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16")
    return text.encode(encoding, errors="replace")


# -- XLSX ----------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    # openpyxl refuses to write control characters (XML 1.0 has no room for them).
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@st.composite
def xlsx_sheets(draw: st.DrawFn) -> bytes:
    header = draw(HEADERS)
    rows = [
        [draw(CELLS) if number(draw, 0, 4) == 0 else _cell(value) for value in row]
        for row in lines(draw, header)
    ]
    # Written once every value is drawn: a draw may stop the example half-way.
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([_cell(name) for name in header])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _example_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with EXAMPLE.open(encoding="utf-8") as example:
        for row in csv.reader(example, delimiter=";"):
            sheet.append(row)
    sheet.append([datetime(2025, 1, 15), 215.55, True, None, 3])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WORKBOOK = _example_workbook()
PARTS = {name: zipfile.ZipFile(io.BytesIO(WORKBOOK)).read(name) for name in
         zipfile.ZipFile(io.BytesIO(WORKBOOK)).namelist()}  # fmt: skip
XML_TOKENS = (
    b"\x00",
    b"&#0;",
    b"<!DOCTYPE x>",
    b'<!DOCTYPE x [<!ENTITY e "EXPANDED">]>',
    b"&e;",
    b'<row r="2000000000">',
    b'<dimension ref="A1:XFD1048576"/>',
    b'<dimension ref="A1:ZZZZ9"/>',
    b'r="A0"',
    b'r="XFE1"',
    b't="d"',
    b't="s"',
    b't="e"',
    b"<v>99999999999999999999</v>",
    b"<v>1e308</v>",
    b"<v>-1</v>",
    b"<v>2958466</v>",
    b"</row>",
    b"<row>",
    b"<c>",
    b"</c>",
    b' xmlns="urn:x"',
    b"\xff",
)
DAMAGED_PARTS = {
    name: damaged_files((data,), XML_TOKENS)
    for name, data in PARTS.items()
    if name.endswith((".xml", ".rels"))
}


@st.composite
def damaged_xlsx_sheets(draw: st.DrawFn) -> bytes:
    """The example workbook with one XML part damaged (then zipped again, so that the damage
    reaches openpyxl), or its ZIP archive itself damaged."""
    if number(draw, 0, 4) == 0:
        return draw(damaged_files((WORKBOOK,), XML_TOKENS))
    name = pick(draw, *sorted(DAMAGED_PARTS))
    damaged = draw(DAMAGED_PARTS[name])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in PARTS.items():
            archive.writestr(part, damaged if part == name else data)
    return buffer.getvalue()


CSV_FILES = (EXAMPLE.read_bytes(),)
CSV_TOKENS = (b"\x00", b'"', b";", b",", b"\t", b"\r", b"\n", b"\xef\xbb\xbf", b"\xe9", b"\xff")

# -- the tests -----------------------------------------------------------------------------------


@NORMAL
@given(csv_sheets())
def test_built_csv_sheets(content: bytes) -> None:
    check_sheet(content, "sheet.csv")


@NORMAL
@given(xlsx_sheets())
def test_built_xlsx_sheets(content: bytes) -> None:
    check_sheet(content, "sheet.xlsx")


@NORMAL
@given(
    damaged_files(CSV_FILES, CSV_TOKENS) | damaged_xlsx_sheets(),
    st.sampled_from(["a.csv", "a.xlsx"]),
)
def test_damaged_sheets(content: bytes, name: str) -> None:
    check_sheet(content, name)


@pytest.mark.slow
@SLOW_CSV
@given(csv_sheets())
def test_built_csv_sheets_at_length(content: bytes) -> None:
    check_sheet(content, "sheet.csv")


@pytest.mark.slow
@SLOW_OTHERS
@given(xlsx_sheets())
def test_built_xlsx_sheets_at_length(content: bytes) -> None:
    check_sheet(content, "sheet.xlsx")


@pytest.mark.slow
@SLOW_OTHERS
@given(damaged_files(CSV_FILES, CSV_TOKENS))
def test_damaged_csv_sheets_at_length(content: bytes) -> None:
    check_sheet(content, "sheet.csv")


@pytest.mark.slow
@SLOW_OTHERS
@given(damaged_xlsx_sheets())
def test_damaged_xlsx_sheets_at_length(content: bytes) -> None:
    check_sheet(content, "sheet.xlsx")
