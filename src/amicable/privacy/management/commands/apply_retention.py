"""amicable apply-retention: erase the personal data whose retention period is over."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from amicable.files.management.arguments import day
from amicable.privacy.retention import DEFAULT_BATCH_SIZE, RetentionReport, apply_retention


class Command(BaseCommand):
    help = (
        "Erase the personal data whose retention period is over: 7 years after a file closed "
        "paid, 1 year after one closed unpaid or withdrawn, 1 year for what is tied to no file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=day,
            default=None,
            help="the day to apply the periods on, YYYY-MM-DD (default: today in Belgium)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="count what would be erased, per kind of record, and write nothing",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"files per transaction (default {DEFAULT_BATCH_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        report = apply_retention(
            today=options["date"] or timezone.localdate(),
            dry_run=options["dry_run"],
            batch_size=options["batch_size"],
        )
        if options["verbosity"] > 0:
            self.stdout.write(summary(report))


def summary(report: RetentionReport) -> str:
    """What was erased (or would be), one kind of record a line."""
    head = "Dry run, nothing written" if report.dry_run else "Erased"
    lines = [f"Retention on {report.today.isoformat()}. {head}:"]
    lines += [f"  {kind}: {count}" for kind, count in sorted(report.counts.items()) if count]
    if len(lines) == 1:
        lines.append("  nothing")
    return "\n".join(lines)
