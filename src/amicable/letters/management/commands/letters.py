"""amicable letters: render letters as PDF.

Subcommands:

- ``sample KIND --lang LANG --out FILE.pdf`` writes a demonstration letter built from in-memory
  data (:func:`amicable.letters.samples.sample_letter_data`); ``KIND`` is a letter kind or
  ``all``, which writes one PDF per kind and language into the folder given by ``--out``.
- ``batch [--date YYYY-MM-DD] [--out DIR]`` produces the letters the daily run queued for
  that day (default today in Belgium), archives them, queues the e-mail ones, and puts the
  paper ones into one PDF for the printer with a CSV manifest, written into ``--out`` when
  given (:func:`amicable.letters.post.run_letters_batch`). Running it again does nothing new.
- ``send-emails [--limit N]`` sends the queued e-mails that are due, through the contact
  guard, and reschedules the failed ones (:func:`amicable.letters.emails.send_due_emails`).
  Run it every few minutes (or the ``send_emails_task`` task).
- ``bounced [VALUE ...] [--file PATH] [--reason TEXT]`` records the e-mails that came back,
  each named by its Message-ID or by its address (the last e-mail accepted for it), from the
  command line or from a file (one per line, ``#`` comments); their letters go on paper in the
  next post run (:func:`amicable.letters.emails.record_bounces`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from amicable.domain.mentions import LetterKind
from amicable.letters.content import LANGUAGES, Language
from amicable.letters.emails import count_waiting, record_bounces, send_due_emails
from amicable.letters.post import run_letters_batch
from amicable.letters.rendering import LetterRefused, render_letter
from amicable.letters.samples import sample_letter_data

ALL = "all"


class Command(BaseCommand):
    help = (
        "Letters: 'sample' writes demonstration letters, 'batch' produces the day's letters, "
        "'send-emails' sends the e-mails due, 'bounced' records e-mails that came back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="SUBCOMMAND", parser_class=CommandParser
        )
        sample = subcommands.add_parser(
            "sample",
            help="write a demonstration letter (or all of them) from built-in data",
            description="Write a demonstration letter as PDF, built from in-memory data.",
        )
        sample.add_argument(
            "kind",
            choices=[*(kind.value for kind in LetterKind), ALL],
            metavar="KIND",
            help=f"one of {', '.join(kind.value for kind in LetterKind)}, or '{ALL}' "
            "(one PDF per kind and language, into the folder --out)",
        )
        sample.add_argument(
            "--lang",
            choices=LANGUAGES,
            default="fr",
            help="the debtor's language (default fr; ignored with 'all')",
        )
        sample.add_argument(
            "--out", required=True, type=Path, help="the PDF file, or the folder with 'all'"
        )
        batch = subcommands.add_parser(
            "batch",
            help="produce the day's letters and the post run for the printer",
            description="Produce the letters the daily run queued, archive them, queue the "
            "e-mails, and write the paper ones as one PDF with a CSV manifest.",
        )
        batch.add_argument(
            "--date",
            type=date.fromisoformat,
            help="the day of the run, YYYY-MM-DD (default: today in Belgium)",
        )
        batch.add_argument(
            "--out", type=Path, help="a folder that receives the PDF and the manifest"
        )
        send = subcommands.add_parser(
            "send-emails",
            help="send the queued e-mails that are due",
            description="Send the queued e-mails that are due, through the contact guard; "
            "failed ones are tried again later.",
        )
        send.add_argument(
            "--limit", type=int, default=500, help="at most this many e-mails (default 500)"
        )

        bounced = subcommands.add_parser(
            "bounced",
            help="record e-mails that came back; their letters go by post",
            description="Record the e-mails that bounced, each named by its Message-ID or by "
            "its address; their letters go on paper in the next post run, and their periods "
            "count from that dispatch.",
        )
        bounced.add_argument(
            "values", nargs="*", metavar="ADDRESS|MESSAGE-ID", help="what the bounce names"
        )
        bounced.add_argument(
            "--file", type=Path, help="a text file with one address or Message-ID a line"
        )
        bounced.add_argument(
            "--reason", default="bounced", help="the server's answer, kept with the e-mail"
        )

    @property
    def handlers(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        """The function that runs each subcommand, by name."""
        return {
            "sample": self._sample,
            "batch": self._batch,
            "send-emails": self._send_emails,
            "bounced": self._bounced,
        }

    def handle(self, *args: Any, **options: Any) -> None:
        self.handlers[options["subcommand"]](options)

    def _sample(self, options: dict[str, Any]) -> None:
        out: Path = options["out"]
        if options["kind"] == ALL:
            out.mkdir(parents=True, exist_ok=True)
            for kind in LetterKind:
                for language in LANGUAGES:
                    self._write(kind, language, out / f"{kind.value}_{language}.pdf")
            self.stdout.write(f"Wrote {len(LetterKind) * len(LANGUAGES)} letters into {out}.")
            return
        self._write(LetterKind(options["kind"]), options["lang"], out)
        self.stdout.write(f"Wrote {out}.")

    def _write(self, kind: LetterKind, language: Language, path: Path) -> None:
        try:
            pdf = render_letter(sample_letter_data(kind, language))
        except LetterRefused as refused:
            raise CommandError(str(refused)) from None
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)

    def _batch(self, options: dict[str, Any]) -> None:
        run_date: date = options["date"] or timezone.localdate()
        result = run_letters_batch(run_date=run_date, out_dir=options["out"])
        batch = result.batch
        if batch is None:
            self.stdout.write(f"No letter to post for {run_date.isoformat()}.")
        else:
            self.stdout.write(
                f"Post run {run_date.isoformat()} #{batch.sequence}: {batch.letter_count} "
                f"letters, {batch.page_count} pages, sha256 {batch.pdf_sha256}."
            )
        for path in result.written:
            self.stdout.write(f"Wrote {path}.")
        self.stdout.write(
            f"E-mails queued: {result.emails_queued}. Letters refused: {result.refused}."
        )
        for request_id, errors in sorted(result.errors.items()):
            self.stderr.write(f"Letter request {request_id} refused:")
            for error in errors:
                self.stderr.write(f"- {error}")

    def _send_emails(self, options: dict[str, Any]) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit must be 1 or more.")
        report = send_due_emails(limit=options["limit"])
        self.stdout.write(
            f"Sent {len(report.sent)}, to retry {len(report.retried)}, failed "
            f"{len(report.failed)}, postponed {len(report.postponed)}, refused "
            f"{len(report.refused)}. Still queued: {count_waiting()}."
        )

    def _bounced(self, options: dict[str, Any]) -> None:
        values: list[str] = list(options["values"])
        path: Path | None = options["file"]
        if path is not None:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"--file {path}: {error}") from None
            values += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        if not values:
            raise CommandError("Name at least one address or Message-ID, or give --file.")
        report = record_bounces(values, options["reason"])
        for value in report.unknown:
            self.stderr.write(f"No sent e-mail for {value}.")
        bounces = "bounce" if report.recorded == 1 else "bounces"
        letters = "letter goes" if report.to_paper == 1 else "letters go"
        self.stdout.write(
            f"{report.recorded} {bounces} recorded, {report.to_paper} {letters} by post."
        )
