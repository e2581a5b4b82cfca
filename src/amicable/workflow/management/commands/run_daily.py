"""amicable run-daily: the day's collection steps on every open file (docs in workflow.services)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core import checks
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from amicable.files.management.arguments import day
from amicable.files.management.commands.verify_books import describe as describe_breaks
from amicable.files.models import File
from amicable.workflow.services import DEFAULT_BATCH_SIZE, RunResult, run_daily


class Command(BaseCommand):
    help = (
        "Run the day's steps on every open file: first reminders, formal notices, waiting "
        "periods, follow-ups, indemnities, interest, paid files, ended suspensions."
    )
    # The models' checks only: the others (URLs, templates, security settings) import every
    # view, a quarter of a CPU second each night, and guard what a deployment checks with
    # "amicable check --deploy", not what a scheduled run uses.
    requires_system_checks = [checks.Tags.models]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=day,
            default=None,
            help="the day to run for, YYYY-MM-DD (default: today in Belgium)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print what the run would do, one line per action, and write nothing",
        )
        parser.add_argument(
            "--file",
            action="append",
            default=None,
            metavar="REFERENCE",
            help="run only this file's steps (repeatable), e.g. AM00000042",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"files per transaction (default {DEFAULT_BATCH_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run_date: date = options["date"] or timezone.localdate()
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        dry_run: bool = options["dry_run"]
        verbosity: int = options["verbosity"]
        describe = None
        if (dry_run and verbosity > 0) or verbosity > 1:
            describe = self.stdout.write
        only = None
        if options["file"]:
            references = set(options["file"])
            found = dict(
                File.objects.filter(reference__in=references).values_list("reference", "pk")
            )
            unknown = sorted(references - set(found))
            if unknown:
                raise CommandError(f"No file {', '.join(unknown)}.")
            only = sorted(found.values())
        result = run_daily(
            run_date=run_date,
            batch_size=batch_size,
            dry_run=dry_run,
            progress_stream=self.stderr if verbosity > 0 else _Silent(),
            describe=describe,
            only=only,
        )
        if verbosity > 0:
            self.stdout.write(summary(result))
        # A rewritten book is an incident, told loudly whatever the verbosity: every broken
        # row on standard error, and the command fails (cron mails it to the operator).
        for line in describe_breaks(result.breaks):
            self.stderr.write(f"BROKEN BOOKS: {line}")
        for name in result.missing_triggers:
            self.stderr.write(f"BROKEN BOOKS: trigger {name} is missing")
        if result.breaks or result.missing_triggers:
            raise CommandError(
                f"{result.counts['broken_books']} chain(s) of the books are broken; "
                f"{len(result.missing_triggers)} trigger(s) missing. "
                "See amicable verify-books."
            )


class _Silent:
    """A stream that drops what it is given (``--verbosity 0``)."""

    def write(self, text: str, /) -> int:
        return len(text)

    def flush(self) -> None:
        return None


def summary(result: RunResult) -> str:
    """The counts of a run, one per line, for the terminal."""
    head = "Dry run (nothing written)" if result.dry_run else f"Daily run #{result.run_id}"
    lines = [
        f"{head} for {result.run_date.isoformat()}: {result.files_done} of "
        f"{result.files_total} files in {result.seconds:.1f}s ({result.batches} batches)."
    ]
    lines += [f"  {name}: {count}" for name, count in sorted(result.counts.items())]
    lines += [f"  {name} booked: {amount}" for name, amount in sorted(result.amounts.items())]
    return "\n".join(lines)
