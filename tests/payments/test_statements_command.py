"""amicable statements parse and import: the outputs, the summary, and clean failures."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amicable.files.models import LedgerEntry
from amicable.payments.management.commands.statements import Command
from amicable.payments.models import StatementImport
from tests.payments.helpers import coda, credit, debit, plain_file
from tests.statements.builders import DATA

CODA = DATA / "coda_two_statements_return.cod"
CAMT = DATA / "camt053_001_08_batch.xml"


def run(*args: str) -> str:
    out = StringIO()
    call_command("statements", *args, stdout=out)
    return out.getvalue()


def parse_json(*args: str) -> Any:
    return json.loads(run("parse", *args, "--json"))


def test_json_output_of_a_coda_file() -> None:
    output = parse_json(str(CODA))

    assert output["format"] == "coda"
    assert output["warnings"] == []
    assert output["statements"] == [
        {
            "account": "BE68539007547034",
            "currency": "EUR",
            "number": "010",
            "opening_balance": "500.00",
            "closing_balance": "750.00",
            "opening_date": "2025-03-09",
            "closing_date": "2025-03-10",
        },
        {
            "account": "BE68539007547034",
            "currency": "EUR",
            "number": "011",
            "opening_balance": "750.00",
            "closing_balance": "500.00",
            "opening_date": "2025-03-10",
            "closing_date": "2025-03-11",
        },
    ]
    payment, returned = output["movements"]
    assert len(payment.pop("identity")) == 64
    assert payment == {
        "booking_date": "2025-03-10",
        "value_date": "2025-03-10",
        "amount": "250.00",
        "currency": "EUR",
        "structured_reference": "123123412328",
        "communication": "",
        "counterparty_name": "MAES PIETER",
        "counterparty_account": "BE71096123456769",
        "counterparty_bic": "GKCCBEBB",
        "end_to_end_id": "E2E-PAY-1",
        "bank_reference": "PAY-1",
        "transaction_code": "00150000",
        "return_reason": None,
        "is_reversal": False,
    }
    assert (returned["amount"], returned["return_reason"]) == ("-250.00", "AC04")


@pytest.mark.parametrize("chosen", [[], ["--format", "camt053"]], ids=["detected", "chosen"])
def test_json_output_of_a_camt_document(chosen: list[str]) -> None:
    output = parse_json(str(CAMT), *chosen)

    assert output["format"] == "camt053"
    assert [s["number"] for s in output["statements"]] == ["12", "7"]
    assert [
        (m["amount"], m["structured_reference"], m["value_date"]) for m in output["movements"]
    ] == [
        ("100.00", "010806817183", "2025-03-04"),
        ("150.00", "090933755493", "2025-03-04"),
        ("50.00", "RF18123456789", "2025-03-04"),
        ("-12.00", None, None),
    ]


def test_json_lists_the_warnings(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.cod"
    lines = CODA.read_text(encoding="ascii").splitlines()
    lines[-1] = lines[-1][:16] + "000099" + lines[-1][22:]
    damaged.write_text("\n".join(lines) + "\n", encoding="ascii")

    output = parse_json(str(damaged))

    assert output["warnings"] == [
        {"location": "line 16", "message": "record 9 announces 99 records, the statement has 5"}
    ]


def test_table_output() -> None:
    assert run("parse", str(CODA)).splitlines() == [
        "coda: 2 statement(s), 2 movement(s), 0 warning(s)",
        "",
        "BE68539007547034 EUR  statement 010  2025-03-09 500.00 -> 2025-03-10 750.00",
        "  2025-03-10        250.00  123123412328               MAES PIETER",
        "",
        "BE68539007547034 EUR  statement 011  2025-03-10 750.00 -> 2025-03-11 500.00",
        "  2025-03-11       -250.00  123123412328               MAES PIETER",
    ]


def test_a_malformed_file_is_a_command_error_naming_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.cod"
    lines = CODA.read_bytes().split(b"\n")
    lines[2] = lines[2][:40] + b"x" + lines[2][41:]
    broken.write_bytes(b"\n".join(lines))

    with pytest.raises(CommandError) as raised:
        run("parse", str(broken), "--json")

    assert str(raised.value) == (
        f"{broken}: line 3: amount '00000000x250000' is not a 15-digit amount"
    )


def test_a_chosen_format_that_does_not_fit_is_a_command_error() -> None:
    with pytest.raises(CommandError) as raised:
        run("parse", str(CAMT), "--format", "coda")

    assert str(raised.value) == f"{CAMT}: line 1: not a CODA file: no header record 0"


def test_a_missing_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        run("parse", str(tmp_path / "nowhere.cod"))

    assert str(raised.value) == f"{tmp_path / 'nowhere.cod'}: No such file or directory"


def test_the_command_line_exits_with_status_1_and_the_error_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("hello\n")

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["amicable", "statements", "parse", str(garbage)])

    assert exited.value.code == 1
    assert capsys.readouterr().err == (
        f"CommandError: {garbage}: line 1: unknown format: neither a CODA file "
        "(header record 0) nor a camt.053 document\n"
    )


def test_a_subcommand_is_required() -> None:
    with pytest.raises(CommandError, match="the following arguments are required: SUBCOMMAND"):
        run()


# --- import ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_prints_a_summary_and_a_second_import_books_nothing(tmp_path: Path) -> None:
    file = plain_file("200.00")
    path = tmp_path / "march.cod"
    path.write_bytes(
        coda(
            credit("200.00", ogm=file.structured_communication),
            credit("12.00", text="?"),
            debit("3.00", code="00437000"),
        )
    )

    first = run("import", str(path))
    second = run("import", str(path))

    assert re.fullmatch(
        r"march\.cod: coda, 1 statement\(s\), 3 movement\(s\), 3 new, 0 already imported; "
        r"1 matched and posted, 1 to an agent, 0 returned, 0 refunds, 1 not ours; "
        r"1 file\(s\) paid, 0 overpayment\(s\), 0 proof\(s\) confirmed "
        r"\(read in \d+\.\d s, matched and posted in \d+\.\d s\)\.\n"
        r"matched by: structured_reference 1\n",
        first,
    )
    record = StatementImport.objects.get()
    assert second == f"march.cod: already imported (file {record.pk}), nothing booked.\n"
    assert (record.imported_by, record.format, record.size) == (
        "command:statements",
        "coda",
        path.stat().st_size,
    )
    assert record.summary["outcomes"] == {"matched": 1, "unmatched": 1, "ignored": 1}
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


@pytest.mark.django_db
def test_import_lists_the_warnings(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.cod"
    lines = CODA.read_text(encoding="ascii").splitlines()
    lines[-1] = lines[-1][:16] + "000099" + lines[-1][22:]
    damaged.write_text("\n".join(lines) + "\n", encoding="ascii")

    output = run("import", str(damaged))

    assert output.splitlines()[-1] == (
        "warning: line 16: record 9 announces 99 records, the statement has 5"
    )


# run_from_argv closes the database connections when it ends, as the command line does: the
# test needs a real transaction to look at the database afterwards.
@pytest.mark.django_db(transaction=True)
def test_import_of_an_unreadable_file_exits_with_status_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "garbage.cod"
    garbage.write_text("hello\n")

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["amicable", "statements", "import", str(garbage)])

    assert exited.value.code == 1
    assert capsys.readouterr().err == (
        f"CommandError: {garbage}: line 1: unknown format: neither a CODA file "
        "(header record 0) nor a camt.053 document\n"
    )
    assert StatementImport.objects.count() == 0


@pytest.mark.django_db
def test_import_of_a_missing_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        run("import", str(tmp_path / "nowhere.cod"))

    assert str(raised.value) == f"{tmp_path / 'nowhere.cod'}: No such file or directory"
