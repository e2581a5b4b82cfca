"""amicable verify-books: recompute each file's hash chains and report every row that breaks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from amicable.files.append_only import missing_triggers
from amicable.files.chain import Break, verify
from amicable.files.models import File


class Command(BaseCommand):
    help = (
        "Recompute the hash chains of every file's ledger, allocations and events (or of the "
        "files given) and report each broken row; exits with 1 on any break."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            action="append",
            default=None,
            metavar="REFERENCE",
            help="verify only this file's books (repeatable), e.g. AM00000042",
        )

    def handle(self, *args: Any, **options: Any) -> None:
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
        breaks = verify(only)
        missing = missing_triggers(connection)
        for line in describe(breaks):
            self.stdout.write(line)
        for name in missing:
            self.stdout.write(f"trigger {name} is missing: the books can be rewritten")
        if breaks or missing:
            files = len({b.file_id for b in breaks})
            raise CommandError(
                f"{len(breaks)} broken row(s) in {files} chain(s); "
                f"{len(missing)} trigger(s) missing."
            )
        if options["verbosity"] > 0:
            scope = f"{len(only)} file(s)" if only is not None else "every file"
            self.stdout.write(f"The books of {scope} verify: no broken row.")


def describe(breaks: list[Break]) -> list[str]:
    """One line per broken row, naming its file by reference."""
    ids = {b.file_id for b in breaks if b.file_id is not None}
    references = dict(File.objects.filter(pk__in=ids).values_list("pk", "reference"))
    return [
        f"{references.get(b.file_id, 'no file') if b.file_id else 'no file'} "
        f"{b.table} row {b.row_id}: {b.reason}"
        for b in breaks
    ]
