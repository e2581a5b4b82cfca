"""amicable letters sample: demonstration letters written as PDF files."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amicable.domain.mentions import LetterKind
from amicable.letters.content import LANGUAGES
from tests.letters.reading import pdf_text


def test_sample_writes_one_letter(tmp_path: Path) -> None:
    out = tmp_path / "notice.pdf"
    stdout = StringIO()
    call_command(
        "letters", "sample", "formal_notice", "--lang", "nl", "--out", str(out), stdout=stdout
    )
    assert stdout.getvalue() == f"Wrote {out}.\n"
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 2
    assert "Betreft: Ingebrekestelling" in pdf_text(out.read_bytes())


def test_sample_all_writes_every_kind_in_every_language(tmp_path: Path) -> None:
    stdout = StringIO()
    call_command("letters", "sample", "all", "--out", str(tmp_path / "letters"), stdout=stdout)
    written = sorted(p.name for p in (tmp_path / "letters").iterdir())
    assert written == sorted(f"{k.value}_{lang}.pdf" for k in LetterKind for lang in LANGUAGES)
    assert stdout.getvalue() == f"Wrote 36 letters into {tmp_path / 'letters'}.\n"
    for path in (tmp_path / "letters").iterdir():
        assert len(pypdf.PdfReader(path).pages) >= 1


def test_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'bailiff_letter'"):
        call_command("letters", "sample", "bailiff_letter", "--out", str(tmp_path / "x.pdf"))
    assert list(tmp_path.iterdir()) == []
