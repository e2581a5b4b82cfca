"""The dated statement of account: a letter like any other, built by the letters' assembly.

The debtor downloads it from the portal (journey 1), an agent sends it by hand, a mediator
receives it: always :func:`amicable.letters.assembly.build_letter_data` of kind
``statement_of_account``, so it prints the agency, creditor and debtor blocks, the dates and
the amounts exactly as every letter does, and passes the same checks before it is rendered.
"""

from __future__ import annotations

from datetime import date

from amicable.domain.mentions import LetterKind
from amicable.files.models import File
from amicable.letters import content as letter
from amicable.letters.assembly import build_letter_data
from amicable.letters.rendering import render_letter

__all__ = ["statement_of_account", "statement_of_account_pdf"]


def statement_of_account(file: File, *, on: date) -> letter.LetterData:
    """The statement of ``file`` on ``on``, in the debtor's language."""
    return build_letter_data(file=file, kind=LetterKind.STATEMENT_OF_ACCOUNT, on=on)


def statement_of_account_pdf(file: File, *, on: date) -> bytes:
    """The PDF; raises ``amicable.letters.rendering.LetterRefused`` when a rule is broken."""
    return render_letter(statement_of_account(file, on=on))
