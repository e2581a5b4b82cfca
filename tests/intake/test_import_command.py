"""amicable import-files: summary on stdout, progress on stderr, exit code 1 on rejection."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amicable.files.models import Creditor, File
from tests.intake.test_import import EXAMPLE, _csv, _line


def _run(path: Path, creditor: str = "energie-test") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_files", str(path), creditor=creditor, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_example_is_imported_with_a_summary(creditor: Creditor) -> None:
    out, err = _run(EXAMPLE)

    assert re.fullmatch(
        r"4 lines read in \d+\.\d s: 3 files created, 0 already imported, 4 claims created, "
        r"0 lines rejected\.\n",
        out,
    )
    assert err == "\r[##############################] 4/4 lines\n"
    assert File.objects.count() == 3


def test_rejected_lines_are_listed_and_exit_with_1(creditor: Creditor, tmp_path: Path) -> None:
    sheet = tmp_path / "claims.csv"
    sheet.write_bytes(_csv(_line("FILE-1", "INV-1"), _line("FILE-2", "INV-2", principal="-3")))
    out = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command(
            "import_files", str(sheet), creditor="energie-test", no_progress=True, stdout=out
        )

    assert failed.value.returncode == 1
    assert str(failed.value) == "1 lines rejected."
    assert "claims.csv: line 3, principal: The amount must be more than 0.00.\n" in out.getvalue()
    assert File.objects.count() == 1


def test_an_unknown_creditor_is_an_error(creditor: Creditor) -> None:
    with pytest.raises(CommandError, match=r"No creditor with reference 'nobody'\."):
        _run(EXAMPLE, creditor="nobody")


def test_an_unreadable_sheet_names_its_line(creditor: Creditor, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_bytes(b"file_reference;principle\n")

    with pytest.raises(CommandError) as failed:
        _run(sheet)

    assert str(failed.value).startswith("bad.csv: line 1: Unknown column(s): principle.")


def test_check_validates_every_line_and_imports_nothing(creditor: Creditor, tmp_path: Path) -> None:
    sheet = tmp_path / "claims.csv"
    sheet.write_bytes(_csv(_line("FILE-1", "INV-1"), _line("FILE-2", "INV-2", principal="-3")))
    out = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command(
            "import_files",
            str(sheet),
            creditor="energie-test",
            check=True,
            no_progress=True,
            stdout=out,
        )

    assert failed.value.returncode == 1
    assert out.getvalue().splitlines()[0] == (
        "claims.csv: line 3, principal: The amount must be more than 0.00."
    )
    assert re.fullmatch(
        r"2 lines read in \d+\.\d s: 1 lines would be rejected; nothing was imported \(--check\)\.",
        out.getvalue().splitlines()[1],
    )
    assert File.objects.count() == 0
