"""Read the account table of a portal page (``portal/_account.html``) the way a debtor does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_HEADER = re.compile(r'<th scope="row">(.*?)</th>', re.S)
_AMOUNT = re.compile(r'<td class="num"[^>]*>(?:<strong>)?(.*?)(?:</strong>)?</td>', re.S)


def amount(text: str) -> Decimal:
    """``1 234,56 €`` (French, as the test pages are), to a Decimal."""
    digits = text.replace("€", "").replace("\u00a0", "").replace("\u202f", "").strip()
    return Decimal(digits.replace(",", "."))


@dataclass(frozen=True, slots=True)
class Table:
    """The table's lines by their name: (charged, paid, still owed); its total; its credit."""

    lines: dict[str, tuple[Decimal, Decimal, Decimal]]
    total: tuple[Decimal, Decimal, Decimal]
    credit: Decimal | None
    html: str


def read_account(html: str) -> Table:
    """The first account table of ``html``, in any language: the body's lines by name, the
    foot's total line and, if there is one, its credit line."""
    table = html.split('<table class="breakdown account">', 1)[1].split("</table>", 1)[0]
    body, foot = table.split("<tfoot>", 1)
    lines: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    for row in _ROW.findall(body):
        header = _HEADER.search(row)
        if header is not None:  # not the column headings
            charged, paid, owed = (amount(cell) for cell in _AMOUNT.findall(row))
            lines[header.group(1)] = (charged, paid, owed)
    total_row, *credit_rows = _ROW.findall(foot)
    charged, paid, owed = (amount(cell) for cell in _AMOUNT.findall(total_row))
    credit = None
    for row in credit_rows:  # the credit, across the three columns
        (credit,) = (amount(cell) for cell in _AMOUNT.findall(row))
    return Table(lines=lines, total=(charged, paid, owed), credit=credit, html=table)
