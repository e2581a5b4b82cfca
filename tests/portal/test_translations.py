"""The four catalogues: complete, not fuzzy, with the placeholders of their msgids, and holding
every msgid that the Python sources and templates of amicable mark for translation.

Without the last check, a string marked in the code but missing from a catalogue falls back to
English silently, in the middle of a French, Dutch or German page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

SOURCES = Path(__file__).resolve().parents[2] / "src" / "amicable"
LOCALE = SOURCES / "locale"
LANGUAGES = ["fr", "nl", "de", "en"]

#: Django's translation functions, as xgettext is told of them by ``makemessages``.
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")

#: (context, msgid): where it is marked.
Marked = dict[tuple[str | None, str], list[str]]


def _catalog(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        return read_po(po_file)


def _sources() -> Iterator[Path]:
    for path in sorted(SOURCES.rglob("*")):
        if path.suffix not in {".py", ".html", ".txt"}:
            continue
        if {"migrations", "locale", "static"} & set(path.relative_to(SOURCES).parts):
            continue
        yield path


def _marked() -> Marked:
    """Every msgid marked in the sources, found the way ``makemessages`` finds them: templates
    are first turned into Python by Django's own ``templatize``, then read like Python files.

    Babel reads them instead of GNU xgettext, so that the test needs nothing beyond the venv
    (like ``amicable compile-translations``)."""
    marked: Marked = {}
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".py":
            text = templatize(text, origin=str(path))
        found = extract_python(io.BytesIO(text.encode()), list(KEYWORDS), [], {})
        for lineno, function, arguments, _comments in found:
            strings = (arguments,) if isinstance(arguments, str) else tuple(arguments)
            context = strings[0] if function.startswith(("pgettext", "npgettext")) else None
            msgid = strings[1] if context is not None else strings[0]
            if msgid:
                where = f"{path.relative_to(SOURCES)}:{lineno}"
                marked.setdefault((context, msgid), []).append(where)
    return marked


@pytest.fixture(scope="module")
def marked() -> Marked:
    return _marked()


def test_the_extraction_finds_python_and_template_strings(marked: Marked) -> None:
    # One of each kind, so that an extraction that silently finds nothing cannot pass.
    assert "backoffice/forms.py" in marked[(None, "Accept the proof")][0]
    assert "portal/templates/portal/payments.html:2" in marked[(None, "I already paid")]
    blocktranslate = "Review the proof “%(name)s”"
    assert "backoffice/templates/backoffice/file.html" in marked[(None, blocktranslate)][0]
    assert (None, "%(n)s file found") in marked
    assert len(marked) > 500


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_every_marked_string_is_in_the_catalogue(marked: Marked, language: str) -> None:
    catalog = _catalog(language)
    present = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    missing = [
        f"{places[0]}: {msgid!r}"
        for (context, msgid), places in marked.items()
        if (context, msgid) not in present
    ]
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_catalogue_is_complete(language: str) -> None:
    catalog = _catalog(language)
    ids = [m.id for m in catalog if m.id]
    assert len(ids) > 100
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    assert untranslated == []


def _placeholders(text: str) -> set[str]:
    return {match[0] for match in _PLACEHOLDER.finditer(text) if match[0] != "%%"}


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_translations_keep_the_placeholders(language: str) -> None:
    """A renamed or lost %(name)s would raise KeyError, or drop a figure, on the page."""
    wrong = []
    for message in _catalog(language):
        if not message.id or not message.python_format:
            continue
        if isinstance(message.id, str):
            if _placeholders(message.string) != _placeholders(message.id):
                wrong.append(message.id)
            continue
        # A plural's singular may say "one" in words, leaving the count out.
        expected = _placeholders(message.id[1])
        if any(not _placeholders(form) <= expected for form in message.string) or (
            _placeholders(message.string[-1]) != expected
        ):
            wrong.append(message.id[0])
    assert wrong == []
