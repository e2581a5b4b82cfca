"""amicable letters: render letters as PDF.

Subcommands:

- ``sample KIND --lang LANG --out FILE.pdf`` writes a demonstration letter built from in-memory
  data (:func:`amicable.letters.samples.sample_letter_data`); ``KIND`` is a letter kind or
  ``all``, which writes one PDF per kind and language into the folder given by ``--out``.
- ``batch`` (to come with the letters archive): renders the letters due from the database.
  Add its parser in :meth:`Command.add_arguments` and its handler in ``Command.handlers``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amicable.domain.mentions import LetterKind
from amicable.letters.data import LANGUAGES, Language
from amicable.letters.rendering import LetterRefused, render_letter
from amicable.letters.samples import sample_letter_data

ALL = "all"


class Command(BaseCommand):
    help = "Render letters as PDF: 'sample' writes demonstration letters."

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
        # The 'batch' subcommand (letters due, from the database) is added here with the
        # letters archive: subcommands.add_parser("batch", ...).

    @property
    def handlers(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        """The function that runs each subcommand, by name."""
        return {"sample": self._sample}

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
