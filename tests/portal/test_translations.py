"""Every message of the four catalogues is translated and none is fuzzy."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "src" / "amicable" / "locale"


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"], ids=str)
def test_catalogue_is_complete(language: str) -> None:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        catalog = read_po(po_file)
    ids = [m.id for m in catalog if m.id]
    assert len(ids) > 100
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    assert untranslated == []
