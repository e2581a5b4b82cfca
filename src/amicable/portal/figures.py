"""The law's figures as the rights page and the FAQ quote them, written in the reader's language.

The numbers come from :mod:`amicable.domain.law`, where the rules use them, so a page can never
quote a cap the ledger does not apply: the brackets of the lump-sum indemnity and its ceiling
(CEL art. XIX.4), the cost of a further reminder (art. XIX.2). Amounts are written as every
page writes them (:func:`amicable.domain.money.format_eur`), percentages as the letters do.
"""

from __future__ import annotations

from decimal import Decimal

from amicable.domain import law
from amicable.domain.money import CENT, format_eur
from amicable.letters.formatting import format_percent

__all__ = ["law_figures"]


def law_figures(language: str) -> dict[str, str]:
    """The figures, keyed by the placeholder names the texts use.

    >>> figures = law_figures("en")
    >>> figures["first_cap"], figures["second_share"], figures["ceiling"], figures["reminder"]
    ('€20.00', '10%', '€2,000.00', '€7.50')
    """
    first, second, third = law.INDEMNITY_BRACKETS
    assert first.up_to is not None
    assert second.up_to is not None

    def eur(amount: Decimal) -> str:
        return format_eur(amount, language)

    return {
        "first_cap": eur(first.base),
        "first_up_to": eur(first.up_to),
        "second_base": eur(second.base),
        "second_share": format_percent(second.percent, language, places=None),
        "second_above": eur(second.above),
        "second_from": eur(first.up_to + CENT),
        "second_up_to": eur(second.up_to),
        "third_base": eur(third.base),
        "third_share": format_percent(third.percent, language, places=None),
        "third_above": eur(third.above),
        "ceiling": eur(law.INDEMNITY_CAP),
        "reminder": eur(law.REMINDER_COST_FLAT),
    }
