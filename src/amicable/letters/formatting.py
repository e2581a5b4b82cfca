"""How dates, rates and bank references are written in a letter, per language.

Amounts use :func:`amicable.domain.money.format_eur`. Dates are written in full, the way a
Belgian letter dates itself ("3 mars 2025", "3 maart 2025", "3. März 2025", "3 March 2025"),
everywhere in the letter: one style, no ``03/04`` that a reader could take for 4 March.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from stdnum.be import ogm_vcs

from amicable.domain.money import as_decimal

__all__ = ["format_date", "format_iban", "format_percent", "format_structured_communication"]

_MONTHS: dict[str, tuple[str, ...]] = {
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ),
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

_NO_BREAK_SPACE = "\u00a0"


def format_date(day: date, language: str) -> str:
    """``day`` in full, in ``language``; no-break spaces keep it on one line.

    French writes the first of the month "1er".

    >>> format_date(date(2025, 3, 3), "fr").replace("\\u00a0", " ")
    '3 mars 2025'
    >>> format_date(date(2025, 3, 1), "fr").replace("\\u00a0", " ")
    '1er mars 2025'
    >>> format_date(date(2025, 3, 3), "de").replace("\\u00a0", " ")
    '3. März 2025'
    >>> format_date(date(2025, 12, 25), "en").replace("\\u00a0", " ")
    '25 December 2025'
    """
    months = _MONTHS.get(language)
    if months is None:
        raise ValueError(f"Unknown language {language!r}; use one of fr, nl, de, en.")
    month = months[day.month - 1]
    if language == "de":
        return f"{day.day}.{_NO_BREAK_SPACE}{month}{_NO_BREAK_SPACE}{day.year}"
    number = "1er" if language == "fr" and day.day == 1 else str(day.day)
    return f"{number}{_NO_BREAK_SPACE}{month}{_NO_BREAK_SPACE}{day.year}"


def format_percent(rate: Decimal, language: str, *, places: int | None = 2) -> str:
    """A rate in percent, with the language's decimal sign and spacing.

    ``places`` decimals (two, as a letter prints a rate), or, with None, as few as the figure
    needs (a rule quoted in a sentence: "10 %").

    >>> format_percent(Decimal("10.5"), "fr").replace("\\u00a0", " ")
    '10,50 %'
    >>> format_percent(Decimal("10.5"), "nl")
    '10,50%'
    >>> format_percent(Decimal("4.5"), "en")
    '4.50%'
    >>> format_percent(Decimal("10.00"), "de", places=None).replace("\\u00a0", " ")
    '10 %'
    """
    value = as_decimal(rate, name="rate")
    text = f"{value:.{places}f}" if places is not None else format(value.normalize(), "f")
    if language == "en":
        return f"{text}%"
    text = text.replace(".", ",")
    # French and German put a (no-break) space before the percent sign; Dutch does not.
    return f"{text}{_NO_BREAK_SPACE}%" if language in {"fr", "de"} else f"{text}%"


def format_iban(iban: str) -> str:
    """An IBAN in groups of four, as banks print it.

    >>> format_iban("BE71096123456769")
    'BE71 0961 2345 6769'
    """
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def format_structured_communication(communication: str) -> str:
    """A Belgian structured communication in its printed form ``+++ddd/dddd/ddddd+++``.

    Accepts the 12 digits with or without the ``+++``/``***`` frame; refuses an invalid one
    (``stdnum`` raises), since a wrong communication sends the payment astray.

    >>> format_structured_communication("010806817183")
    '+++010/8068/17183+++'
    >>> format_structured_communication("***010/8068/17183***")
    '+++010/8068/17183+++'
    """
    digits = ogm_vcs.validate(communication.replace("*", ""))
    return f"+++{ogm_vcs.format(digits)}+++"


def structured_communication_digits(communication: str) -> str:
    """The 12 digits of a structured communication, as the EPC QR code carries them.

    >>> structured_communication_digits("+++010/8068/17183+++")
    '010806817183'
    """
    return str(ogm_vcs.validate(communication.replace("*", "")))
