"""Bulk intake from a CSV or XLSX sheet: one line per claim (docs/intake.md).

Lines with the same ``file_reference`` form one file with several claims. Every line is read with
the API's own rules (``amicable.intake.validation`` and ``amicable.intake.rules``), so a sheet
and an API call are refused for the same reasons.

Policy (decided here, documented in docs/intake.md): a file is imported whole or not at all. If
one of its lines is invalid, none of its claims is created, each bad line is named with its
reason, and its other lines say which line stopped them: collecting part of a debtor's claims,
then the rest later, would send the debtor two formal notices for one file.

An XLSX workbook is opened within bounded memory (``amicable.intake.workbook``: a "zip bomb" is
refused before it expands), and a sheet that declares more rows than can be imported, or more
columns than a spreadsheet has, is refused before its rows are read.

Re-importing a sheet creates nothing twice: a file whose ``file_reference`` is known is not
created again (its debtor and claims stay as they are), and only the claims it does not have yet
are added, through the same checks (``files.handover.add_claim``). Files are created in batches of
about ``BATCH_CLAIMS`` claims, one transaction each.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath
from typing import Any, BinaryIO, Final

import pydantic
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from amicable.domain.interest import RateTable
from amicable.files import handover
from amicable.files.models import Claim, Creditor
from amicable.files.rates import rate_table
from amicable.files.services import ClaimCheck, CreatedFile
from amicable.intake.rules import (
    FieldError,
    PrescriptionTerms,
    check_file,
    prescription_terms,
    to_claim_input,
    to_file_input,
)
from amicable.intake.schemas import FileIn
from amicable.intake.workbook import (
    SPREADSHEET_MAX_COLUMNS,
    SPREADSHEET_MAX_ROWS,
    WorkbookRefused,
    open_workbook,
    unreadable,
)

BATCH_CLAIMS: Final = 1000
MAX_LINES: Final = 1_000_000

# Column -> where the value goes in the API's file (FileIn), in the documented order.
DEBTOR_COLUMNS: Final = {
    "debtor_reference": "customer_reference",
    "debtor_name": "name",
    "debtor_address": "address",
    "debtor_postal_code": "postal_code",
    "debtor_city": "city",
    "debtor_country": "country",
    "debtor_language": "language",
    "debtor_email": "email",
    "debtor_phone": "phone",
    "debtor_birth_date": "birth_date",
}
CLAIM_COLUMNS: Final = {
    "claim_reference": "creditor_reference",
    "description": "description",
    "invoice_date": "invoice_date",
    "due_date": "due_date",
    "principal": "principal",
    "contract_date": "contract_date",
    "regular_supply": "regular_supply",
    "first_reminder_sent_on": "first_reminder_sent_on",
    "first_reminder_channel": "first_reminder_channel",
    "indemnity_percent": "indemnity_percent",
    "indemnity_minimum": "indemnity_minimum",
    "indemnity_fixed": "indemnity_fixed",
    "requested_indemnity": "requested_indemnity",
    "indemnity_reciprocity": "indemnity_reciprocity",
    "interest_clause": "interest_clause",
    "interest_rate": "interest_rate",
    "reminder_cost_clause": "reminder_cost_clause",
    "category": "category",
    "prescription_interrupted_on": "prescription_interrupted_on",
    "prescription_evidence": "prescription_evidence",
}
COLUMNS: Final = ("file_reference", *DEBTOR_COLUMNS, *CLAIM_COLUMNS)
REQUIRED_COLUMNS: Final = (
    "file_reference",
    "debtor_reference",
    "debtor_name",
    "debtor_address",
    "debtor_postal_code",
    "debtor_city",
    "claim_reference",
    "description",
    "invoice_date",
    "due_date",
    "principal",
)
_REQUIRED_VALUES: Final = frozenset(REQUIRED_COLUMNS)
_DECIMAL_COLUMNS: Final = frozenset(
    {
        "principal",
        "indemnity_percent",
        "indemnity_minimum",
        "indemnity_fixed",
        "requested_indemnity",
        "interest_rate",
    }
)
_BOOLEAN_COLUMNS: Final = frozenset({"regular_supply", "interest_clause", "reminder_cost_clause"})
_TRUE: Final = frozenset({"1", "true", "yes", "y", "oui", "ja", "x"})
_FALSE: Final = frozenset({"0", "false", "no", "n", "non", "nee", "nein"})
_BY_API_DEBTOR_FIELD: Final = {v: k for k, v in DEBTOR_COLUMNS.items()}
_BY_API_CLAIM_FIELD: Final = {v: k for k, v in CLAIM_COLUMNS.items()}
_CLAIM_FIELD: Final = re.compile(r"claims\[(\d+)\](?:\.(\w+))?")
_DEBTOR_FIELD: Final = re.compile(r"debtor(?:\.(\w+))?")
# A line that cannot be read as the header says carries its reason under this key.
_ROW_ERROR: Final = "__error__"


class SheetError(Exception):
    """A sheet that cannot be read at all (not CSV/XLSX, wrong header...), with the line."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class ImportReport:
    lines: int = 0
    files_created: int = 0
    files_existing: int = 0
    claims_created: int = 0
    lines_rejected: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.lines_rejected == 0


Row = tuple[int, dict[str, str]]
Progress = Callable[[int, int], None]


# --- reading ----------------------------------------------------------------------------------


def _column_name(header: object) -> str:
    text = "" if header is None else str(header)
    return re.sub(r"[\s-]+", "_", text.strip().lstrip("\ufeff").lower())


def _check_header(names: Sequence[str]) -> None:
    unknown = [n for n in names if n and n not in COLUMNS]
    if unknown:
        # A header of thousands of columns is named by its first few, each shortened.
        shown = [name if len(name) <= 40 else f"{name[:40]}..." for name in unknown[:10]]
        more = f" and {len(unknown) - len(shown):,} more" if len(unknown) > len(shown) else ""
        raise SheetError(
            f"Unknown column(s): {', '.join(shown)}{more}. The columns are described in "
            "docs/intake.md.",
            line=1,
        )
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise SheetError(f"The column {name} appears twice.", line=1)
        seen.add(name)
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        raise SheetError(f"Missing column(s): {', '.join(missing)}.", line=1)


def read_csv(content: bytes) -> Iterator[Row]:
    """Rows of a UTF-8 CSV (with or without BOM), separated by ``;`` or ``,`` (sniffed)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise SheetError('The file is not UTF-8 text: save it as "CSV UTF-8".', line=line) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise SheetError("The file is empty.", line=1)
        names = [_column_name(h) for h in header]
        _check_header(names)
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            row = {n: v for n, v in zip(names, values, strict=False) if n}
            if any(v.strip() for v in values[len(names) :]):
                row[_ROW_ERROR] = f"{len(values)} values but {len(names)} columns."
            yield line, row
    except csv.Error as exc:
        raise SheetError(f"The CSV cannot be read: {exc}.", line=reader.line_num) from None


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a person sees; a float never travels further than here."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # A spreadsheet keeps 15 significant digits; show the number as it shows it, so that
        # 120.5 typed in a cell is read as "120.5", never as 120.4999999999999...
        return format(Decimal(f"{value:.15g}"), "f")
    return str(value).strip()


def _check_dimension(sheet: Any) -> None:
    """Refuse a sheet that declares more rows than can be imported, or more columns than a
    spreadsheet has: openpyxl pads every row to the declared width and the sheet to its height."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_LINES + 1:
        raise SheetError(
            _("The sheet declares %(rows)s rows: at most %(limit)s lines can be imported at once.")
            % {
                "rows": number_format(rows, force_grouping=True),
                "limit": number_format(MAX_LINES, force_grouping=True),
            }
        )
    if columns > SPREADSHEET_MAX_COLUMNS:
        raise SheetError(
            _("The sheet declares %(columns)s columns, more than a spreadsheet has (%(limit)s).")
            % {
                "columns": number_format(columns, force_grouping=True),
                "limit": number_format(SPREADSHEET_MAX_COLUMNS, force_grouping=True),
            }
        )


def read_xlsx(stream: BinaryIO) -> Iterator[Row]:
    """Rows of the first sheet of an XLSX workbook (read-only, values not formulas)."""
    try:
        workbook = open_workbook(stream)
    except WorkbookRefused as exc:
        raise SheetError(exc.message) from None
    try:
        sheet = workbook.worksheets[0]
        _check_dimension(sheet)
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if header is None:
            raise SheetError("The sheet is empty.", line=1)
        names = [_column_name(h) for h in header]
        while names and not names[-1]:
            names.pop()
        _check_header(names)
        # Only the header's columns are read: openpyxl pads each row to the width asked for.
        rows = sheet.iter_rows(min_row=2, max_col=len(names), values_only=True)
        for line, values in enumerate(rows, start=2):
            if line > SPREADSHEET_MAX_ROWS:
                # Row numbers are the file's own: before a row numbered 2,000,000,000 openpyxl
                # would return as many empty rows.
                raise SheetError(f"At most {MAX_LINES:,} lines can be imported at once.", line=line)
            if all(value is None for value in values):
                continue
            texts = [_cell_text(v) for v in values]
            if not any(texts):
                continue
            yield line, {n: t for n, t in zip(names, texts, strict=False) if n}
    except SheetError:
        raise
    except WorkbookRefused as exc:
        raise SheetError(exc.message) from None
    except Exception as exc:  # any parsing error: see workbook.unreadable
        raise SheetError(unreadable(exc).message) from None
    finally:
        workbook.close()


def read_sheet(stream: BinaryIO, *, name: str) -> Iterator[Row]:
    """The rows of a CSV or XLSX file, told apart by their content (an XLSX is a ZIP)."""
    head = stream.read(4)
    stream.seek(0)
    if head == b"PK\x03\x04" or PurePath(name).suffix.lower() == ".xlsx":
        return read_xlsx(stream)
    return read_csv(stream.read())


# --- from lines to files ----------------------------------------------------------------------


def _value(column: str, text: str) -> Any:
    value = text.strip()
    if column in _DECIMAL_COLUMNS and "," in value and "." not in value:
        # Belgian spreadsheets write a decimal comma: 120,50.
        value = value.replace(",", ".")
    if column == "indemnity_reciprocity":
        # A yes/no column reads as a declaration; anything else is left for the schema to
        # refuse with the accepted values.
        word = value.lower().replace(" ", "_")
        if word in _TRUE:
            return "reciprocal"
        if word in _FALSE:
            return "not_reciprocal"
        return word
    if column in _BOOLEAN_COLUMNS:
        word = value.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    return value


def _file_payload(reference: str, rows: Sequence[Row]) -> dict[str, Any]:
    first = rows[0][1]
    debtor = {
        api_field: _value(column, first.get(column, ""))
        for column, api_field in DEBTOR_COLUMNS.items()
        if first.get(column, "").strip() or column in _REQUIRED_VALUES
    }
    claims = [
        {
            api_field: _value(column, values.get(column, ""))
            for column, api_field in CLAIM_COLUMNS.items()
            if values.get(column, "").strip() or column in _REQUIRED_VALUES
        }
        for _, values in rows
    ]
    return {"creditor_reference": reference, "debtor": debtor, "claims": claims}


def _line_error(error: FieldError, rows: Sequence[Row]) -> LineError:
    """Put an error found on the file (``claims[1].principal``) on its line and column."""
    path = error.field or ""
    claim = _CLAIM_FIELD.fullmatch(path)
    if claim is not None:
        index = int(claim.group(1))
        line = rows[index][0] if index < len(rows) else rows[0][0]
        column = _BY_API_CLAIM_FIELD.get(claim.group(2) or "", None)
        return LineError(line, column, error.reason)
    debtor = _DEBTOR_FIELD.fullmatch(path)
    if debtor is not None:
        return LineError(rows[0][0], _BY_API_DEBTOR_FIELD.get(debtor.group(1) or ""), error.reason)
    column = "file_reference" if path == "creditor_reference" else (path or None)
    return LineError(rows[0][0], column, error.reason)


def _debtor_differences(rows: Sequence[Row]) -> list[LineError]:
    first_line, first = rows[0]
    errors = []
    for line, values in rows[1:]:
        differing = [
            c for c in DEBTOR_COLUMNS if values.get(c, "").strip() != first.get(c, "").strip()
        ]
        if differing:
            errors.append(
                LineError(
                    line,
                    differing[0],
                    f"The debtor columns ({', '.join(differing)}) differ from line "
                    f"{first_line} of the same file: one file has one debtor.",
                )
            )
    return errors


@dataclass(slots=True)
class _Group:
    reference: str
    rows: list[Row]
    item: FileIn | None = None
    checks: list[ClaimCheck] = field(default_factory=list)


def _validate_group(
    group: _Group, *, today: date, rates: RateTable, prescription: PrescriptionTerms
) -> list[LineError]:
    errors = [
        LineError(line, None, values[_ROW_ERROR])
        for line, values in group.rows
        if _ROW_ERROR in values
    ]
    if errors:
        return errors
    errors = _debtor_differences(group.rows)
    try:
        item = FileIn.model_validate(_file_payload(group.reference, group.rows))
    except pydantic.ValidationError as exc:
        for problem in exc.errors():
            path = "".join(
                f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p))
                for i, p in enumerate(problem["loc"])
            )
            errors.append(_line_error(FieldError(path or None, str(problem["msg"])), group.rows))
        return errors
    checked = check_file(item, today=today, rates=rates, prescription=prescription)
    errors.extend(_line_error(e, group.rows) for e in checked.errors)
    if not errors:
        group.item = item
        group.checks = checked.checks
    return errors


def _group_lines(rows: Iterable[Row], report: ImportReport) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for line, values in rows:
        report.lines += 1
        if report.lines > MAX_LINES:
            raise SheetError(f"At most {MAX_LINES:,} lines can be imported at once.", line=line)
        reference = values.get("file_reference", "").strip()
        if not reference:
            report.lines_rejected += 1
            report.errors.append(LineError(line, "file_reference", "The file reference is empty."))
            continue
        groups.setdefault(reference, _Group(reference, [])).rows.append((line, values))
    return groups


def import_files(
    *,
    creditor: Creditor,
    rows: Iterable[Row],
    actor: str,
    today: date,
    batch_claims: int = BATCH_CLAIMS,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every line, then create the valid files in batches (see the module docstring)."""
    report = ImportReport()
    groups = _group_lines(rows, report)
    total = report.lines
    done = report.lines_rejected
    batch: list[_Group] = []
    batch_size = 0
    rates = rate_table()
    prescription = prescription_terms(creditor.sector)
    for group in groups.values():
        errors = _validate_group(group, today=today, rates=rates, prescription=prescription)
        if errors:
            _reject(group, errors, report)
            done += len(group.rows)
            continue
        batch.append(group)
        batch_size += len(group.rows)
        if batch_size >= batch_claims:
            _create(creditor, batch, report, actor=actor, today=today)
            done += batch_size
            batch, batch_size = [], 0
            if progress is not None:
                progress(done, total)
    if batch:
        _create(creditor, batch, report, actor=actor, today=today)
    if progress is not None:
        progress(total, total)
    report.errors.sort(key=lambda e: e.line)
    return report


def check_lines(rows: Iterable[Row], *, today: date, sector: str) -> ImportReport:
    """Read and validate every line as :func:`import_files` does for a creditor of ``sector``
    (its claims' default prescription category), and create nothing: the report names the
    lines that would be rejected, with their reasons (``import-files --check``)."""
    report = ImportReport()
    rates = rate_table()
    prescription = prescription_terms(sector)
    for group in _group_lines(rows, report).values():
        errors = _validate_group(group, today=today, rates=rates, prescription=prescription)
        if errors:
            _reject(group, errors, report)
    report.errors.sort(key=lambda e: e.line)
    return report


def _reject(group: _Group, errors: list[LineError], report: ImportReport) -> None:
    bad_lines = sorted({e.line for e in errors})
    report.errors.extend(errors)
    named = ", ".join(str(n) for n in bad_lines)
    for line, _values in group.rows:
        if line not in bad_lines:
            report.errors.append(
                LineError(
                    line,
                    None,
                    f"Not imported: line(s) {named} of the same file "
                    f"({group.reference}) are invalid, and a file is imported whole.",
                )
            )
    report.lines_rejected += len(group.rows)


def _create(
    creditor: Creditor, batch: list[_Group], report: ImportReport, *, actor: str, today: date
) -> None:
    items = [g.item for g in batch]
    assert all(item is not None for item in items)
    inputs = [to_file_input(item) for item in items if item is not None]
    results = handover.receive_files(
        creditor=creditor,
        inputs=inputs,
        actor=actor,
        today=today,
        checks=[g.checks for g in batch],
    )
    existing: list[tuple[_Group, CreatedFile]] = []
    for group, result in zip(batch, results, strict=True):
        if result.created:
            report.files_created += 1
            report.claims_created += len(group.rows)
        else:
            report.files_existing += 1
            existing.append((group, result))
    if existing:
        _add_missing_claims(existing, report, actor=actor, today=today)


def _add_missing_claims(
    existing: list[tuple[_Group, CreatedFile]],
    report: ImportReport,
    *,
    actor: str,
    today: date,
) -> None:
    """A file imported before: add the claims of the sheet it does not have (re-import)."""
    known = set(
        Claim.objects.filter(file__in=[r.file for _, r in existing]).values_list(
            "file_id", "creditor_reference"
        )
    )
    for group, result in existing:
        assert group.item is not None
        for (line, _values), claim in zip(group.rows, group.item.claims, strict=True):
            if (result.file.pk, claim.creditor_reference) in known:
                continue
            try:
                handover.add_claim(
                    file=result.file, claim=to_claim_input(claim), actor=actor, today=today
                )
            except handover.HandoverRefused as exc:
                report.lines_rejected += 1
                report.errors.append(LineError(line, "claim_reference", exc.message))
            else:
                report.claims_created += 1
