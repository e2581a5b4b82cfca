"""Hostile XLSX workbooks are refused before they cost memory: zip bombs, rows of millions of
cells, millions of styles, runaway dimensions and row numbers, a DTD.

Each bomb is read by the importer in a child process whose address space is capped at 512 MB
above what it uses before reading (and its CPU time at two minutes): the child reports the
refusal and how much its peak memory grew, which must stay small. Without the limits, the same
files take gigabytes (the child then dies of a MemoryError) or hours.
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from amicable.backoffice.roles import Role
from amicable.files.models import Creditor, File
from amicable.intake import workbook
from amicable.intake.importer import COLUMNS, SheetError, read_sheet
from tests.staff import make_staff, sign_in

SHEET = "xl/worksheets/sheet1.xml"
STYLES = "xl/styles.xml"
# What the child may grow by: the bombs below take gigabytes without the limits.
BOUNDED_MB = 64

CHILD = """
import json, os, resource, sys
import django
django.setup()
from django.utils import translation
from amicable.intake.importer import SheetError, read_sheet

def virtual_size():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024

translation.activate("en")
before = resource.getrusage(resource.RUSAGE_SELF)
resource.setrlimit(resource.RLIMIT_AS, (virtual_size() + 512 * 1024 * 1024, resource.RLIM_INFINITY))
cpu = int(before.ru_utime + before.ru_stime) + 120
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
outcome = {}
try:
    with open(sys.argv[1], "rb") as sheet:
        outcome["lines"] = sum(1 for _ in read_sheet(sheet, name="bomb.xlsx"))
except SheetError as error:
    outcome["refused"], outcome["line"] = error.message, error.line
except MemoryError:
    outcome["memory_error"] = True
after = resource.getrusage(resource.RUSAGE_SELF)
outcome["grew_mb"] = (after.ru_maxrss - before.ru_maxrss) / 1024
print(json.dumps(outcome))
"""


def _read_in_a_child(data: bytes, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "amicable.config.settings"}
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=env
    )
    assert child.returncode == 0, child.stderr[-2000:]
    outcome: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return outcome


def _base() -> bytes:
    """A valid workbook: the header and one line."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(["FILE-1", *(["x"] * (len(COLUMNS) - 1))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rebuilt(changes: dict[str, Iterable[bytes]], extra: int = 0) -> bytes:
    """The base workbook with the parts in ``changes`` written from their chunks (streamed, so
    that a part of a hundred megabytes never sits in the test's memory), and ``extra`` empty
    parts more."""
    source = zipfile.ZipFile(io.BytesIO(_base()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in changes:
                target.writestr(info.filename, source.read(info.filename))
                continue
            with target.open(info.filename, "w", force_zip64=True) as part:
                for chunk in changes[info.filename]:
                    part.write(chunk)
        for number in range(extra):
            target.writestr(f"xl/media/empty{number}.bin", b"")
    return buffer.getvalue()


def _around(name: str, marker: bytes, inserted: Iterable[bytes], *, after: bool = False) -> Any:
    """The base part ``name`` with ``inserted`` before (or after) ``marker``."""
    original = zipfile.ZipFile(io.BytesIO(_base())).read(name)
    at = original.index(marker) + (len(marker) if after else 0)

    def chunks() -> Iterator[bytes]:
        yield original[:at]
        yield from inserted
        yield original[at:]

    return chunks()


def _random_texts(count: int, template: bytes) -> Iterator[bytes]:
    """``count`` copies of ``template`` with its ``{}`` replaced by a random word: what keeps the
    part from compressing more than a real sheet does (the ratio check would catch it first)."""
    batch = []
    for number in range(count):
        batch.append(template.replace(b"{}", base64.b32encode(os.urandom(5))))
        if number % 10_000 == 9_999:
            yield b"".join(batch)
            batch = []
    yield b"".join(batch)


def _refusal(outcome: dict[str, Any]) -> str:
    assert "refused" in outcome, outcome
    assert outcome["grew_mb"] < BOUNDED_MB, outcome
    message: str = outcome["refused"]
    return message


def test_a_zip_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    # A row of two million cells: 76 MB of XML in 220 KB; openpyxl would build it in 2 GB.
    cells = (b'<c t="inlineStr"><is><t>a</t></is></c>' * 10_000 for _ in range(200))
    bomb = _rebuilt({SHEET: _around(SHEET, b"</sheetData>", [b"<row>", *cells, b"</row>"])})

    message = _refusal(_read_in_a_child(bomb, tmp_path))

    assert message.startswith(f"The XLSX workbook is refused: its part {SHEET} expands from ")
    assert message.endswith(
        "more than 100 times: no spreadsheet compresses that well, a file built to exhaust the "
        "server's memory does."
    )


def test_a_row_of_too_many_cells_is_refused_as_it_is_read(tmp_path: Path) -> None:
    # Compressing like a real sheet, so that only the count of its elements gives it away.
    cells = _random_texts(120_000, b'<c t="inlineStr"><is><t>{}</t></is></c>')
    bomb = _rebuilt({SHEET: _around(SHEET, b"</sheetData>", [b"<row>", *cells, b"</row>"])})

    message = _refusal(_read_in_a_child(bomb, tmp_path))

    assert message == (
        f"The XLSX workbook is refused: row 3 of its part {SHEET} holds more than 100,000 XML "
        "elements, where a spreadsheet row has at most 16,384 cells."
    )


def test_too_many_styles_are_refused_before_openpyxl_builds_them(tmp_path: Path) -> None:
    styles = _random_texts(120_000, b'<xf numFmtId="0" fontId="0" applyFont="{}"/>')
    bomb = _rebuilt({STYLES: _around(STYLES, b"</cellXfs>", styles)})

    message = _refusal(_read_in_a_child(bomb, tmp_path))

    assert message == (
        f"The XLSX workbook is refused: its part {STYLES} brings it over 100,000 XML elements "
        "of one kind. Save the sheet as CSV UTF-8, or split it."
    )


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")  # properties of no known type
def test_elements_of_the_parts_openpyxl_keeps_are_counted_together() -> None:
    # 60,000 elements in the document's custom properties (read first), then 60,000 styles:
    # each part below the limit, both together over it.
    styles = _random_texts(60_000, b'<xf numFmtId="0" fontId="0" applyFont="{}"/>')
    properties = [
        b'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/custom-properties">',
        *_random_texts(60_000, b'<property name="{}"/>'),
        b"</Properties>",
    ]
    base = zipfile.ZipFile(io.BytesIO(_rebuilt({STYLES: _around(STYLES, b"</cellXfs>", styles)})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in base.infolist():
            target.writestr(info.filename, base.read(info.filename))
        with target.open("docProps/custom.xml", "w") as part:
            for chunk in properties:
                part.write(chunk)

    with pytest.raises(SheetError) as refused:
        _read(buffer.getvalue())

    assert refused.value.message.startswith(
        f"The XLSX workbook is refused: its part {STYLES} brings it over 100,000 XML elements "
        "of one kind."
    )


def test_elements_left_in_a_sheet_outside_its_rows_are_counted(tmp_path: Path) -> None:
    junk = _random_texts(120_000, b'<x a="{}"/>')
    bomb = _rebuilt({SHEET: _around(SHEET, b"</sheetData>", junk, after=True)})

    message = _refusal(_read_in_a_child(bomb, tmp_path))

    assert message.startswith(f"The XLSX workbook is refused: its part {SHEET} brings it over")


def test_a_shared_text_of_too_many_runs_is_refused(tmp_path: Path) -> None:
    # The shared strings of a workbook written by a spreadsheet, one text of 120,000 runs.
    strings = [
        b'<?xml version="1.0" encoding="UTF-8"?><sst '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>',
        *_random_texts(120_000, b"<r><t>{}</t></r>"),
        b"</si></sst>",
    ]
    manifest = _around(
        "[Content_Types].xml",
        b"</Types>",
        [
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        ],
    )
    base = zipfile.ZipFile(io.BytesIO(_rebuilt({"[Content_Types].xml": manifest})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in base.infolist():
            target.writestr(info.filename, base.read(info.filename))
        with target.open("xl/sharedStrings.xml", "w") as part:
            for chunk in strings:
                part.write(chunk)

    message = _refusal(_read_in_a_child(buffer.getvalue(), tmp_path))

    assert message == (
        "The XLSX workbook is refused: text 1 of its part xl/sharedStrings.xml holds more than "
        "100,000 XML elements, where a spreadsheet cell has at most 32,767 characters."
    )


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        pytest.param(
            b"A1:AC2000000",
            "The sheet declares 2,000,000 rows: at most 1,000,000 lines can be imported at once.",
            id="rows",
        ),
        pytest.param(
            b"A1:ZZZ2",
            "The sheet declares 18,278 columns, more than a spreadsheet has (16,384).",
            id="columns",
        ),
    ],
)
def test_a_sheet_declaring_more_than_can_be_read_is_refused(
    tmp_path: Path, dimension: bytes, expected: str
) -> None:
    original = zipfile.ZipFile(io.BytesIO(_base())).read(SHEET)
    start = original.index(b'<dimension ref="') + len(b'<dimension ref="')
    end = original.index(b'"', start)
    bomb = _rebuilt({SHEET: [original[:start], dimension, original[end:]]})

    message = _refusal(_read_in_a_child(bomb, tmp_path))

    assert message == expected


def test_a_row_numbered_beyond_a_spreadsheet_is_refused(tmp_path: Path) -> None:
    # openpyxl returns an empty row for each number skipped: two billion of them.
    row = b'<row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>F</t></is></c></row>'
    original = zipfile.ZipFile(io.BytesIO(_base())).read(SHEET)
    start = original.index(b"<dimension")
    end = original.index(b"/>", start) + 2
    sheet = original[:start] + original[end:]  # no dimension: nothing declared to check
    at = sheet.index(b"</sheetData>")
    bomb = _rebuilt({SHEET: [sheet[:at], row, sheet[at:]]})

    outcome = _read_in_a_child(bomb, tmp_path)

    assert _refusal(outcome) == "At most 1,000,000 lines can be imported at once."
    assert outcome["line"] == 1_048_577


def _read(data: bytes) -> list[object]:
    with translation.override("en"):
        return list(read_sheet(io.BytesIO(data), name="sheet.xlsx"))


def test_a_dtd_in_a_part_is_refused() -> None:
    original = zipfile.ZipFile(io.BytesIO(_base())).read(SHEET)
    at = original.index(b"<worksheet")
    bomb = _rebuilt({SHEET: [original[:at], b"<!DOCTYPE worksheet []>", original[at:]]})

    with pytest.raises(SheetError) as refused:
        _read(bomb)

    assert refused.value.message == (
        f"The XLSX workbook is refused: its part {SHEET} declares a DTD, which no spreadsheet does."
    )


def test_too_many_parts_are_refused_from_the_directory() -> None:
    with pytest.raises(SheetError) as refused:
        _read(_rebuilt({}, extra=1000))

    assert refused.value.message == (
        "The XLSX workbook is refused: it holds 1,009 parts, more than 1,000."
    )


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        pytest.param(
            "XLSX_MAX_PART_BYTES",
            f"The XLSX workbook is refused: its part {SHEET} takes more than 19.5\u00a0KB once "
            "decompressed. Save the sheet as CSV UTF-8, or split it.",
            id="part",
        ),
        pytest.param(
            "XLSX_MAX_BYTES",
            "The XLSX workbook is refused: it takes more than 19.5\u00a0KB once decompressed. "
            "Save the sheet as CSV UTF-8, or split it.",
            id="all_parts",
        ),
    ],
)
def test_sizes_are_checked_from_the_directory(
    monkeypatch: pytest.MonkeyPatch, limit: str, expected: str
) -> None:
    # A sheet of hundreds of megabytes is too large to build in a test: the limit is lowered.
    monkeypatch.setattr(workbook, limit, 20_000)
    lines = _random_texts(1000, b'<row><c t="inlineStr"><is><t>{}</t></is></c></row>')
    sheet = _around(SHEET, b"</sheetData>", lines)

    with pytest.raises(SheetError) as refused:
        _read(_rebuilt({SHEET: sheet}))

    assert refused.value.message == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        pytest.param("fr", "Le classeur XLSX est refusé\u00a0:", id="fr"),
        pytest.param("nl", "De XLSX-werkmap wordt geweigerd:", id="nl"),
        pytest.param("de", "Die XLSX-Arbeitsmappe wird abgelehnt:", id="de"),
    ],
)
def test_the_staff_page_explains_a_refusal_in_the_staff_members_language(
    creditor: Creditor, language: str, expected: str
) -> None:
    client = sign_in(Client(), make_staff(Role.SUPERVISOR))
    client.cookies["django_language"] = language
    original = zipfile.ZipFile(io.BytesIO(_base())).read(SHEET)
    at = original.index(b"<worksheet")
    bomb = _rebuilt({SHEET: [original[:at], b"<!DOCTYPE worksheet []>", original[at:]]})

    response = client.post(
        "/backoffice/intake/upload",
        {"creditor": creditor.pk, "sheet": SimpleUploadedFile("bomb.xlsx", bomb)},
    )

    assert response.status_code == 422
    assert expected in response.content.decode()
    assert File.objects.count() == 0
