"""Bulk import from CSV and XLSX: line numbers in errors, whole files, nothing twice."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from amicable.files.models import Claim, Creditor, Debtor, File, LedgerEntry
from amicable.intake.importer import (
    COLUMNS,
    ImportReport,
    LineError,
    SheetError,
    import_files,
    read_sheet,
)
from tests.intake.conftest import TODAY

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "intake-example.csv"
HEADER = ";".join(COLUMNS)


def _line(
    file_reference: str = "FILE-1",
    claim_reference: str = "INV-1",
    *,
    principal: str = "200.00",
    due_date: str = "2025-02-14",
    postal_code: str = "1000",
    name: str = "Marie Dupont",
    separator: str = ";",
) -> str:
    values = {
        "file_reference": file_reference,
        "debtor_reference": "CUST-1",
        "debtor_name": name,
        "debtor_address": "Rue Haute 12",
        "debtor_postal_code": postal_code,
        "debtor_city": "Bruxelles",
        "debtor_language": "fr",
        "claim_reference": claim_reference,
        "description": "Électricité",
        "invoice_date": "2025-01-15",
        "due_date": due_date,
        "principal": principal,
        "first_reminder_sent_on": "2025-03-03",
        "first_reminder_channel": "paper",
        "interest_clause": "oui",
    }
    return separator.join(values.get(column, "") for column in COLUMNS)


def _csv(*lines: str, separator: str = ";", bom: bool = False) -> bytes:
    header = separator.join(COLUMNS)
    text = "\r\n".join([header, *lines]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def _import(creditor: Creditor, content: bytes, name: str = "sheet.csv") -> ImportReport:
    return import_files(
        creditor=creditor,
        rows=read_sheet(io.BytesIO(content), name=name),
        actor="test",
        today=TODAY,
    )


def test_the_documented_example_imports_cleanly(creditor: Creditor) -> None:
    report = _import(creditor, EXAMPLE.read_bytes())

    assert report.errors == []
    assert (report.lines, report.files_created, report.claims_created) == (4, 3, 4)
    first = File.objects.get(creditor_reference="D-2025-001")
    assert sorted(first.claims.values_list("principal", flat=True)) == [
        Decimal("89.90"),
        Decimal("215.55"),
    ]
    assert first.state == "formal_notice"
    assert File.objects.get(creditor_reference="D-2025-002").state == "first_reminder_pending"
    assert Debtor.objects.get(customer_reference="C-1003").country == "FR"


@pytest.mark.parametrize(
    ("separator", "bom"),
    [
        pytest.param(";", True, id="semicolon_with_bom"),
        pytest.param(",", False, id="comma_without_bom"),
        pytest.param("\t", False, id="tab"),
    ],
)
def test_lines_of_one_file_form_one_file(creditor: Creditor, separator: str, bom: bool) -> None:
    content = _csv(
        _line("FILE-1", "INV-1", separator=separator),
        _line("FILE-2", "INV-9", separator=separator),
        _line("FILE-1", "INV-2", principal="50.5", separator=separator),
        separator=separator,
        bom=bom,
    )

    report = _import(creditor, content)

    assert report.errors == []
    assert (report.lines, report.files_created, report.claims_created) == (3, 2, 3)
    file = File.objects.get(creditor_reference="FILE-1")
    assert sorted(file.claims.values_list("creditor_reference", "principal")) == [
        ("INV-1", Decimal("200.00")),
        ("INV-2", Decimal("50.50")),
    ]


def test_a_decimal_comma_is_read(creditor: Creditor) -> None:
    report = _import(creditor, _csv(_line(principal='"1234,56"')))

    assert report.errors == []
    assert Claim.objects.get().principal == Decimal("1234.56")


def test_errors_name_the_line_and_the_column(creditor: Creditor) -> None:
    content = _csv(
        _line("FILE-1", "INV-1"),
        _line("FILE-2", "INV-2", principal="12.345"),
        _line("FILE-3", "INV-3", due_date="2025-13-01"),
        _line("FILE-4", "INV-4", postal_code="12"),
        _line("", "INV-5"),
    )

    report = _import(creditor, content)

    assert report.errors == [
        LineError(3, "principal", "An amount has at most two decimals (whole cents)."),
        LineError(4, "due_date", "This date does not exist in the calendar."),
        LineError(
            5, "debtor_postal_code", "A Belgian postal code has four digits, from 1000 to 9999."
        ),
        LineError(6, "file_reference", "The file reference is empty."),
    ]
    assert str(report.errors[0]) == (
        "line 3, principal: An amount has at most two decimals (whole cents)."
    )
    assert (report.lines, report.lines_rejected, report.files_created) == (5, 4, 1)
    assert not report.ok
    assert list(File.objects.values_list("creditor_reference", flat=True)) == ["FILE-1"]


def test_a_file_with_one_bad_line_is_not_imported_at_all(creditor: Creditor) -> None:
    content = _csv(
        _line("FILE-1", "INV-1"),
        _line("FILE-1", "INV-2", principal="zero"),
        _line("FILE-1", "INV-3"),
    )

    report = _import(creditor, content)

    assert report.errors == [
        LineError(
            2,
            None,
            "Not imported: line(s) 3 of the same file (FILE-1) are invalid, and a file is "
            "imported whole.",
        ),
        LineError(
            3,
            "principal",
            "Write the amount with digits and a decimal point, like 120.50 (no thousands "
            "separator, no currency sign).",
        ),
        LineError(
            4,
            None,
            "Not imported: line(s) 3 of the same file (FILE-1) are invalid, and a file is "
            "imported whole.",
        ),
    ]
    assert report.lines_rejected == 3
    assert File.objects.count() == 0
    assert LedgerEntry.objects.count() == 0


def test_lines_of_one_file_must_agree_on_the_debtor(creditor: Creditor) -> None:
    content = _csv(_line("FILE-1", "INV-1"), _line("FILE-1", "INV-2", name="Marie Durand"))

    report = _import(creditor, content)

    assert report.errors[1] == LineError(
        3,
        "debtor_name",
        "The debtor columns (debtor_name) differ from line 2 of the same file: one file has one "
        "debtor.",
    )
    assert File.objects.count() == 0


def test_importing_again_creates_nothing_twice(creditor: Creditor) -> None:
    content = _csv(_line("FILE-1", "INV-1"), _line("FILE-1", "INV-2"), _line("FILE-2", "INV-3"))
    _import(creditor, content)
    counts = (File.objects.count(), Claim.objects.count(), LedgerEntry.objects.count())

    report = _import(creditor, content)

    assert report.errors == []
    assert (report.files_created, report.files_existing, report.claims_created) == (0, 2, 0)
    assert (File.objects.count(), Claim.objects.count(), LedgerEntry.objects.count()) == counts


def test_importing_again_adds_only_the_new_claims(creditor: Creditor) -> None:
    _import(creditor, _csv(_line("FILE-1", "INV-1")))

    report = _import(creditor, _csv(_line("FILE-1", "INV-1"), _line("FILE-1", "INV-2")))

    assert report.errors == []
    assert (report.files_existing, report.claims_created) == (1, 1)
    assert sorted(Claim.objects.values_list("creditor_reference", flat=True)) == ["INV-1", "INV-2"]


def test_batches_are_committed_one_by_one(creditor: Creditor) -> None:
    lines = [_line(f"FILE-{n}", f"INV-{n}") for n in range(7)]
    calls: list[tuple[int, int]] = []

    report = import_files(
        creditor=creditor,
        rows=read_sheet(io.BytesIO(_csv(*lines)), name="sheet.csv"),
        actor="test",
        today=TODAY,
        batch_claims=3,
        progress=lambda done, total: calls.append((done, total)),
    )

    assert report.files_created == 7
    assert calls == [(3, 7), (6, 7), (7, 7)]
    assert File.objects.count() == 7


def test_an_xlsx_sheet_with_numbers_and_dates_is_read_exactly(creditor: Creditor) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    row = {
        "file_reference": "FILE-X",
        "debtor_reference": 1001,
        "debtor_name": "Jan Peeters",
        "debtor_address": "Kerkstraat 5",
        "debtor_postal_code": 9000,
        "debtor_city": "Gent",
        "debtor_language": "nl",
        "claim_reference": "INV-X",
        "description": "Internet",
        "invoice_date": datetime(2025, 1, 15),
        "due_date": date(2025, 2, 14),
        "principal": 120.1,
        "regular_supply": True,
        "first_reminder_sent_on": datetime(2025, 3, 3),
        "first_reminder_channel": "electronic",
        "indemnity_percent": 10,
        "interest_clause": "ja",
        "interest_rate": 7.5,
    }
    sheet.append([row.get(column) for column in COLUMNS])
    sheet.append([None] * len(COLUMNS))  # an empty line is skipped
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = _import(creditor, buffer.getvalue(), name="sheet.xlsx")

    assert report.errors == []
    claim = Claim.objects.get()
    assert (claim.principal, claim.interest_rate, claim.indemnity_percent) == (
        Decimal("120.10"),
        Decimal("7.500"),
        Decimal("10.00"),
    )
    assert (claim.due_date, claim.first_reminder_channel, claim.regular_supply) == (
        date(2025, 2, 14),
        "electronic",
        True,
    )
    assert (claim.file.debtor.customer_reference, claim.file.debtor.postal_code) == (
        "1001",
        "9000",
    )


def test_an_xlsx_error_names_the_row(creditor: Creditor) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    values = dict.fromkeys(COLUMNS, "x")
    sheet.append([values[c] for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = _import(creditor, buffer.getvalue(), name="any-name")

    assert {e.line for e in report.errors} == {2}
    assert ("debtor_language", "Input should be 'fr', 'nl', 'de' or 'en'") in {
        (e.column, e.reason) for e in report.errors
    }


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        pytest.param(
            HEADER.replace("principal", "principle").encode() + b"\n",
            "Unknown column(s): principle. The columns are described in docs/intake.md.",
            1,
            id="unknown_column",
        ),
        pytest.param(
            b"file_reference;debtor_name\n",
            "Missing column(s): debtor_reference, debtor_address, debtor_postal_code, "
            "debtor_city, claim_reference, description, invoice_date, due_date, principal.",
            1,
            id="missing_columns",
        ),
        pytest.param(
            (HEADER + "\n" + _line()).encode() + b"\n" + "Ma\xefve".encode("latin-1") + b";\n",
            'The file is not UTF-8 text: save it as "CSV UTF-8".',
            3,
            id="latin1",
        ),
        pytest.param(b"", "The file is empty.", 1, id="empty"),
        pytest.param(b"PK\x03\x04 not a zip", None, None, id="broken_xlsx"),
    ],
)
def test_a_sheet_that_cannot_be_read_is_refused_whole(
    creditor: Creditor, content: bytes, message: str | None, line: int | None
) -> None:
    with pytest.raises(SheetError) as refused:
        _import(creditor, content)

    if message is not None:
        assert refused.value.message == message
    else:
        assert refused.value.message.startswith("The file is not a readable XLSX workbook")
    assert refused.value.line == line
    assert File.objects.count() == 0


def test_a_line_with_too_many_values_is_rejected(creditor: Creditor) -> None:
    report = _import(creditor, _csv(_line() + ";surplus"))

    assert report.errors == [
        LineError(2, None, f"{len(COLUMNS) + 1} values but {len(COLUMNS)} columns.")
    ]


def test_nul_bytes_and_control_characters_are_refused_per_line(creditor: Creditor) -> None:
    report = _import(creditor, _csv(_line(name="Marie\x00Dupont")))

    assert report.errors == [
        LineError(
            2,
            "debtor_name",
            "The character U+0000 is not allowed (control characters, unpaired surrogates and "
            "direction overrides are refused).",
        )
    ]


@pytest.mark.parametrize("column", COLUMNS)
def test_a_nul_byte_in_any_column_is_refused_on_its_line(creditor: Creditor, column: str) -> None:
    # PostgreSQL refuses a NUL in a text: the value never gets that far (a NUL is not text).
    values = _line().split(";")
    index = COLUMNS.index(column)
    values[index] = f"{values[index] or '1'}\x00"

    report = _import(creditor, _csv(";".join(values)))

    assert report.lines_rejected == 1
    assert [(e.line, e.column) for e in report.errors] == [(2, column)]
    assert File.objects.count() == 0


@pytest.mark.parametrize("nul", [b"\x00", b"&#0;"], ids=["byte", "reference"])
def test_a_nul_in_an_xlsx_cell_is_an_unreadable_workbook(creditor: Creditor, nul: bytes) -> None:
    # XML 1.0 has no NUL character, written or referenced.
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(["FILE-NUL", *(["x"] * (len(COLUMNS) - 1))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"FILE-NUL", b"FILE-" + nul)
            target.writestr(name, data)

    with pytest.raises(SheetError) as refused:
        _import(creditor, damaged.getvalue(), name="sheet.xlsx")

    assert refused.value.message.startswith("The file is not a readable XLSX workbook (")
    assert File.objects.count() == 0
