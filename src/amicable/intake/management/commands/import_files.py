"""amicable import-files: import a CSV or XLSX sheet of claims for one creditor."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from amicable.files.models import Creditor
from amicable.intake.importer import (
    BATCH_CLAIMS,
    SheetError,
    check_lines,
    import_files,
    read_sheet,
)


class Command(BaseCommand):
    help = (
        "Import files from a CSV or XLSX sheet, one line per claim (docs/intake.md). "
        "Exits with 1 if any line was rejected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV or XLSX sheet")
        parser.add_argument("--creditor", required=True, help="the creditor's reference (slug)")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_CLAIMS,
            help=f"claims per transaction (default {BATCH_CLAIMS})",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="do not show the progress bar"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="read and validate every line, import nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            creditor = Creditor.objects.get(reference=options["creditor"])
        except Creditor.DoesNotExist:
            raise CommandError(f"No creditor with reference {options['creditor']!r}.") from None
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        show_progress = not options["no_progress"] and options["verbosity"] > 0
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if not show_progress or total == 0:
                return
            width = 30
            filled = width * done // total
            bar = "#" * filled + "-" * (width - filled)
            end = "\n" if done == total else ""
            self.stderr.write(f"\r[{bar}] {done:,}/{total:,} lines", ending=end)
            self.stderr.flush()

        try:
            with path.open("rb") as stream:
                rows = read_sheet(stream, name=path.name)
                if options["check"]:
                    report = check_lines(rows, today=timezone.localdate(), sector=creditor.sector)
                else:
                    report = import_files(
                        creditor=creditor,
                        rows=rows,
                        actor=f"import:{creditor.reference}",
                        today=timezone.localdate(),
                        batch_claims=max(1, options["batch_size"]),
                        progress=progress,
                    )
        except SheetError as exc:
            where = f"line {exc.line}: " if exc.line else ""
            raise CommandError(f"{path.name}: {where}{exc.message}") from None
        seconds = time.monotonic() - started
        for error in report.errors:
            self.stdout.write(f"{path.name}: {error}")
        if options["check"]:
            self.stdout.write(
                f"{report.lines:,} lines read in {seconds:.1f} s: {report.lines_rejected:,} "
                "lines would be rejected; nothing was imported (--check)."
            )
        else:
            self.stdout.write(
                f"{report.lines:,} lines read in {seconds:.1f} s: {report.files_created:,} files "
                f"created, {report.files_existing:,} already imported, "
                f"{report.claims_created:,} claims created, {report.lines_rejected:,} lines "
                "rejected."
            )
        if not report.ok:
            raise CommandError(f"{report.lines_rejected:,} lines rejected.", returncode=1)
