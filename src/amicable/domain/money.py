"""Euro amounts: plain ``Decimal`` values with named rounding helpers.

amicable handles euros only, so money is a ``decimal.Decimal`` with two decimal places, never a
float: a float argument raises ``TypeError`` at once, because ``0.1 + 0.2`` is not ``0.3`` and a
debtor's balance must be exact.

Every rule names the rounding it uses (:func:`to_cents_down` or :func:`to_cents_half_up`) and
never relies on the ambient ``decimal`` context, which any caller could have changed: the helpers
here pass their own context and rounding mode explicitly.

>>> to_cents_down(Decimal("36.555"))
Decimal('36.55')
>>> to_cents_half_up(Decimal("36.555"))
Decimal('36.56')
>>> as_money("1234.5")
Decimal('1234.50')
>>> format_eur(Decimal("1234.56"), "nl")
'€\\xa01.234,56'
"""

from __future__ import annotations

from decimal import (
    ROUND_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction
from math import trunc

__all__ = [
    "CENT",
    "ZERO",
    "as_decimal",
    "as_money",
    "format_eur",
    "plain_amount",
    "to_cents_down",
    "to_cents_half_up",
]

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# Our own context: enough digits for any amount we will ever see, and every doubtful operation
# trapped, so a result is either exact or an exception, whatever the caller's context says.
_CONTEXT = Context(prec=60, traps=[InvalidOperation, DivisionByZero, Overflow])

_NARROW_NO_BREAK_SPACE = "\u202f"
_NO_BREAK_SPACE = "\u00a0"
LANGUAGES = ("fr", "nl", "de", "en")


def as_decimal(value: Decimal | int, *, name: str = "amount") -> Decimal:
    """``value`` as a finite ``Decimal``; a float (or a bool) is refused.

    The shared argument check of the domain rules: ``TypeError`` for a float, a bool or any
    other type, ``ValueError`` for NaN or an infinity. The sign and the number of decimals are
    left to the caller, which knows what its rule accepts.

    >>> as_decimal(5)
    Decimal('5')
    >>> as_decimal(0.5)
    Traceback (most recent call last):
    ...
    TypeError: The amount must be a Decimal, not a float (0.5): floats are not exact.
    """
    # bool is a subclass of int: True is never a sum of money.
    if isinstance(value, float):
        raise TypeError(
            f"The {name} must be a Decimal, not a float ({value!r}): floats are not exact."
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"The {name} must be a Decimal, not {type(value).__name__} ({value!r}).")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"The {name} must be a finite number, not {value}.")
    return result


def to_cents_down(value: Decimal | Fraction) -> Decimal:
    """``value`` truncated toward zero to the cent (``ROUND_DOWN``).

    Used for every cap and every amount charged to the consumer, so a rounding never costs the
    consumer a cent (docs/legal.md, section 2: 215.55 gives a cap of 36.55, not 36.56). A rule that
    divides (a percentage, a day count over 365) computes an exact ``Fraction`` and passes it
    here, so the only rounding is this one.

    >>> to_cents_down(Decimal("36.559"))
    Decimal('36.55')
    >>> to_cents_down(Decimal("-1.239"))
    Decimal('-1.23')
    >>> to_cents_down(Decimal("20"))
    Decimal('20.00')
    >>> to_cents_down(Fraction(1000 * 220, 36500))
    Decimal('6.02')
    """
    if isinstance(value, Fraction):
        # Digits built from an integer number of cents: exact, and no decimal context involved.
        return Decimal(f"{trunc(value * 100)}E-2")
    return as_decimal(value).quantize(CENT, rounding=ROUND_DOWN, context=_CONTEXT)


def to_cents_half_up(value: Decimal) -> Decimal:
    """``value`` rounded to the cent, halves away from zero (``ROUND_HALF_UP``).

    The commercial rounding, for amounts that are not charges to the consumer (for example an
    amount converted for display or a split that must add up).

    >>> to_cents_half_up(Decimal("0.005"))
    Decimal('0.01')
    >>> to_cents_half_up(Decimal("-0.005"))
    Decimal('-0.01')
    >>> to_cents_half_up(Decimal("0.004"))
    Decimal('0.00')
    """
    return as_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP, context=_CONTEXT)


def as_money(value: Decimal | int | str) -> Decimal:
    """``value`` as a euro amount: a ``Decimal`` with exactly two decimal places.

    Accepts a ``Decimal``, an ``int`` or a string in the ``Decimal`` syntax (``"12.5"``, never
    ``"12,5"``). Refuses, rather than rounds, anything that is not a whole number of cents:
    rounding silently would change a creditor's claim. Trailing zeros are not decimals of value
    (``"1.500"`` is accepted as 1.50).

    >>> as_money(Decimal("12.5"))
    Decimal('12.50')
    >>> as_money(7)
    Decimal('7.00')
    >>> as_money("1.500")
    Decimal('1.50')
    >>> as_money("1.505")
    Traceback (most recent call last):
    ...
    ValueError: 1.505 has more than two decimals; amounts are in whole cents.
    >>> as_money(1.5)
    Traceback (most recent call last):
    ...
    TypeError: The amount must be a Decimal, not a float (1.5): floats are not exact.
    """
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not an amount; write it like 1234.56.") from None
    else:
        parsed = as_decimal(value)
    if not parsed.is_finite():
        raise ValueError(f"The amount must be a finite number, not {value}.")
    cents = parsed.quantize(CENT, rounding=ROUND_DOWN, context=_CONTEXT)
    if cents != parsed:
        raise ValueError(f"{value} has more than two decimals; amounts are in whole cents.")
    return cents


def plain_amount(amount: Decimal) -> str:
    """``amount`` as machines read it (the creditor API, a debtor's data download): two
    decimals, a point, no thousands separator, no exponent. A whole number of cents only.

    >>> plain_amount(Decimal("120.5")), plain_amount(Decimal("-3E+2"))
    ('120.50', '-300.00')
    """
    return f"{as_money(amount):f}"


def format_eur(amount: Decimal, language: str) -> str:
    """``amount`` written the Belgian way for a letter or a screen in ``language``.

    ``fr``: ``1 234,56 €`` (narrow no-break space U+202F between thousands, no-break space
    U+00A0 before the sign); ``nl``: ``€ 1.234,56`` (no-break space after the sign); ``de``:
    ``1.234,56 €`` (no-break space before the sign); ``en``: ``€1,234.56``. A negative amount
    starts with a minus sign (``-€1,234.56``). The amount must be a whole number of cents: a
    rule rounds, with the rounding it names, before anything is shown.

    >>> format_eur(Decimal("1234.56"), "fr") == "1\\u202f234,56\\u00a0€"
    True
    >>> format_eur(Decimal("1234.56"), "de") == "1.234,56\\u00a0€"
    True
    >>> format_eur(Decimal("-1234567.8"), "en")
    '-€1,234,567.80'
    >>> format_eur(Decimal("5"), "xx")
    Traceback (most recent call last):
    ...
    ValueError: Unknown language 'xx'; use one of fr, nl, de, en.
    """
    if language not in LANGUAGES:
        raise ValueError(f"Unknown language {language!r}; use one of {', '.join(LANGUAGES)}.")
    cents = as_money(as_decimal(amount))
    sign = "-" if cents < 0 else ""
    # "," and "." are placeholders here, swapped below for the language's separators.
    whole, fraction = f"{abs(cents):,.2f}".split(".")
    if language == "fr":
        return f"{sign}{whole.replace(',', _NARROW_NO_BREAK_SPACE)},{fraction}{_NO_BREAK_SPACE}€"
    if language == "nl":
        return f"{sign}€{_NO_BREAK_SPACE}{whole.replace(',', '.')},{fraction}"
    if language == "de":
        return f"{sign}{whole.replace(',', '.')},{fraction}{_NO_BREAK_SPACE}€"
    return f"{sign}€{whole}.{fraction}"
