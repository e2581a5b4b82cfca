"""No letter presents a time-barred claim as enforceable: it says "time-barred" next to the
claim in the debtor's language (docs/legal.md, section 8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from amicable.files.models import File
from amicable.letters.statement import statement_of_account_pdf
from tests.factories import claim_input, make_creditor, make_file
from tests.letters.reading import pdf_text
from tests.workflow.conftest import run

pytestmark = pytest.mark.django_db


def _sale(language: str) -> File:
    """A web shop's sale due 10 March 2024: one year (old Civil Code art. 2272 al. 2)."""
    claim = claim_input(
        creditor_reference="SALE-1",
        invoice_date=date(2024, 2, 24),
        due_date=date(2024, 3, 10),
        principal=Decimal("300.00"),
        first_reminder_sent_on=date(2024, 3, 18),
        first_reminder_channel="electronic",
    )
    creditor = make_creditor(sector="retail")
    return make_file(creditor=creditor, claims=[claim], today=date(2024, 4, 2), language=language)


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "prescrite"), ("nl", "verjaard"), ("de", "verjährt"), ("en", "time-barred")],
)
def test_the_statement_marks_the_claim_time_barred(language: str, words: str) -> None:
    file = _sale(language)
    before = pdf_text(statement_of_account_pdf(file, on=date(2025, 3, 10)))
    assert words not in before
    run(date(2025, 3, 11))
    after = pdf_text(statement_of_account_pdf(file, on=date(2025, 3, 12)))
    assert words in after
