"""amicable compile-translations: build the .mo catalogues from the .po files, in pure Python.

Django's compilemessages needs GNU gettext's msgfmt; this needs nothing beyond the venv, so
`make run` and `make test` work on a machine with only Python. Fuzzy entries are left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the fr, nl, de and en translation catalogues (.po to .mo)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                with po_path.open("rb") as source:
                    catalog = read_po(source)
                with po_path.with_suffix(".mo").open("wb") as target:
                    write_mo(target, catalog, use_fuzzy=False)
                count += 1
        self.stdout.write(f"Compiled {count} catalogues.")
