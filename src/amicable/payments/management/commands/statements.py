"""amicable statements: read bank statement files (CODA 2.x, camt.053), and import them.

``amicable statements parse FILE [--format coda|camt053] [--json]`` prints what a file holds
(statements, booked movements, integrity warnings) without touching the database.

``amicable statements import FILE [--format coda|camt053]`` imports it: movements stored once,
payments matched and posted, the rest queued for an agent
(``amicable.payments.statement_import``); one summary line, then the warnings. Importing the same
file again books nothing.

A file that cannot be read exits with status 1 and ``FILE: line N: message`` on stderr.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amicable.payments.models import MovementStatus
from amicable.payments.statement_import import import_statement
from amicable.statements import (
    FORMATS,
    BankMovement,
    ParseResult,
    Statement,
    StatementError,
    parse_statement,
)

JsonObject = dict[str, Any]


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def statement_json(statement: Statement) -> JsonObject:
    return {
        "account": statement.account,
        "currency": statement.currency,
        "number": statement.number,
        "opening_balance": _decimal(statement.opening_balance),
        "closing_balance": _decimal(statement.closing_balance),
        "opening_date": _date(statement.opening_date),
        "closing_date": _date(statement.closing_date),
    }


def movement_json(movement: BankMovement) -> JsonObject:
    return {
        "booking_date": _date(movement.booking_date),
        "value_date": _date(movement.value_date),
        "amount": _decimal(movement.amount),
        "currency": movement.currency,
        "structured_reference": movement.structured_reference,
        "communication": movement.communication,
        "counterparty_name": movement.counterparty_name,
        "counterparty_account": movement.counterparty_account,
        "counterparty_bic": movement.counterparty_bic,
        "end_to_end_id": movement.end_to_end_id,
        "bank_reference": movement.bank_reference,
        "transaction_code": movement.transaction_code,
        "return_reason": movement.return_reason,
        "is_reversal": movement.is_reversal,
        "identity": movement.identity,
    }


def result_json(result: ParseResult) -> JsonObject:
    return {
        "format": result.format,
        "statements": [statement_json(statement) for statement in result.statements],
        "warnings": [
            {"location": warning.location, "message": warning.message}
            for warning in result.warnings
        ],
        "movements": [movement_json(movement) for movement in result.movements],
    }


def _cut(text: str | None, width: int) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"


class Command(BaseCommand):
    help = (
        "Bank statement files (CODA, camt.053): 'parse FILE' shows what a file holds, "
        "'import FILE' matches and posts its payments."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        parse = subcommands.add_parser(
            "parse", help="print the statements, movements and warnings of a file"
        )
        self.add_statement_arguments(parse)
        parse.add_argument("--json", action="store_true", help="print one JSON object")
        importing = subcommands.add_parser(
            "import", help="import a file: match and post its payments, queue the rest"
        )
        self.add_statement_arguments(importing)

    @staticmethod
    def add_statement_arguments(parser: ArgumentParser) -> None:
        parser.add_argument(
            "path", metavar="FILE", help="a CODA (.cod, .txt) or camt.053 (.xml) file"
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="the file's format (default: detected)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "parse": self.handle_parse,
            "import": self.handle_import,
        }
        handlers[options["subcommand"]](options)

    @staticmethod
    def read_bytes(options: dict[str, Any]) -> bytes:
        path = Path(options["path"])
        try:
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from None

    def read_statement(self, options: dict[str, Any]) -> ParseResult:
        """Read and parse the FILE argument; any failure is a CommandError naming the file."""
        data = self.read_bytes(options)
        try:
            return parse_statement(data, format=options["format"])
        except StatementError as error:
            raise CommandError(f"{options['path']}: {error}") from None

    def handle_import(self, options: dict[str, Any]) -> None:
        path = Path(options["path"])
        data = self.read_bytes(options)
        try:
            report = import_statement(
                data, name=path.name, actor="command:statements", format=options["format"]
            )
        except StatementError as error:
            raise CommandError(f"{path}: {error}") from None
        if report.already_imported:
            number = report.statement_import_id
            self.stdout.write(f"{path.name}: already imported (file {number}), nothing booked.")
            return
        self.stdout.write(
            f"{path.name}: {report.format}, {report.statements} statement(s), "
            f"{report.movements} movement(s), {report.new_movements} new, "
            f"{report.known_movements} already imported; "
            f"{report.count(MovementStatus.MATCHED)} matched and posted, "
            f"{report.count(MovementStatus.UNMATCHED)} to an agent, "
            f"{report.count(MovementStatus.RETURN)} returned, "
            f"{report.count(MovementStatus.REFUND)} refunds, "
            f"{report.count(MovementStatus.IGNORED)} not ours; "
            f"{report.files_paid} file(s) paid, {report.overpayments} overpayment(s), "
            f"{report.proofs_confirmed} proof(s) confirmed "
            f"(read in {report.parse_seconds:.1f} s, matched and posted in "
            f"{report.match_seconds:.1f} s)."
        )
        if report.methods:
            methods = ", ".join(f"{name} {count}" for name, count in sorted(report.methods.items()))
            self.stdout.write(f"matched by: {methods}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))

    def handle_parse(self, options: dict[str, Any]) -> None:
        result = self.read_statement(options)
        if options["json"]:
            self.stdout.write(json.dumps(result_json(result), ensure_ascii=False, indent=2))
            return
        movements = result.movements
        self.stdout.write(
            f"{result.format}: {len(result.statements)} statement(s), "
            f"{len(movements)} movement(s), {len(result.warnings)} warning(s)"
        )
        for statement in result.statements:
            self.stdout.write(
                f"\n{statement.account} {statement.currency}  statement {statement.number}  "
                f"{_date(statement.opening_date)} {_decimal(statement.opening_balance)} -> "
                f"{_date(statement.closing_date)} {_decimal(statement.closing_balance)}"
            )
            for movement in statement.movements:
                line = (
                    f"  {movement.booking_date}  {_decimal(movement.amount):>12}  "
                    f"{movement.structured_reference or '-':<25}  "
                    f"{_cut(movement.counterparty_name, 28):<28}  "
                    f"{_cut(movement.communication, 40)}"
                )
                self.stdout.write(line.rstrip())
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
