"""A letter says why a damages clause gives no indemnity, in the debtor's language (CEL art.
VI.83, 17°; docs/legal.md, section 2), citing the Code by its name in that language."""

from __future__ import annotations

from datetime import date

import pytest

from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import LetterKind
from amicable.letters.amounts import reciprocity_reason
from amicable.letters.services import produce_letter, reprint_letter
from tests.factories import claim_input, make_file
from tests.letters.conftest import brussels
from tests.letters.reading import pdf_text

pytestmark = pytest.mark.django_db

#: What the debtor reads, per language and declaration (apostrophes straightened).
WHY = {
    ("fr", "not_declared"): "le créancier n'a pas déclaré que le contrat vous accorde une "
    "indemnité du même ordre lorsqu'il manque lui-même à ses obligations (art. VI.83, 17° CDE)",
    ("nl", "not_declared"): "de schuldeiser heeft niet verklaard dat het contract u een "
    "gelijkwaardige schadevergoeding toekent",
    ("de", "not_declared"): "Der Gläubiger hat nicht erklärt, dass der Vertrag Ihnen eine "
    "gleichwertige Entschädigung zugesteht",
    ("en", "not_declared"): "the creditor has not declared that the contract gives you an "
    "indemnity of the same order",
    ("fr", "not_reciprocal"): "de sorte que sa clause pénale est sans effet (art. VI.83, 17° CDE)",
    ("nl", "not_reciprocal"): "zodat zijn schadebeding zonder gevolg is (art. VI.83, 17° WER)",
    ("de", "not_reciprocal"): "seine Schadensersatzklausel ist daher wirkungslos "
    "(Art. VI.83 Nr. 17 WBR)",
    ("en", "not_reciprocal"): "so its damages clause has no effect (art. VI.83, 17° CEL)",
}


@pytest.mark.parametrize(("language", "declared"), sorted(WHY))
def test_vi83_17_the_formal_notice_says_why_no_indemnity_is_claimed(
    language: str, declared: str
) -> None:
    file = make_file(
        claims=[claim_input(indemnity_reciprocity=declared)],
        today=date(2025, 4, 1),
        language=language,
    )
    assert file.file_state is FileState.FORMAL_NOTICE
    outcome = produce_letter(
        file=file,
        kind=LetterKind.FORMAL_NOTICE,
        actor="t",
        on=date(2025, 4, 2),
        at=brussels(2025, 4, 2, 9, 30),
    )
    assert outcome.errors == ()
    assert outcome.letter is not None
    text = pdf_text(reprint_letter(outcome.letter)).replace("’", "'").replace("\u00a0", " ")
    assert WHY[(language, declared)] in text


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_vi83_17_a_reciprocal_clause_needs_no_reason(language: str) -> None:
    assert reciprocity_reason("reciprocal", booked=False, language=language) is None
    pending = reciprocity_reason("not_declared", booked=True, language=language)
    assert pending is not None
    assert {"fr": "CDE", "nl": "WER", "de": "WBR", "en": "CEL"}[language] in pending
