"""When a file's debt is settled (old Civil Code art. 1234: payment extinguishes the debt).

>>> is_settled(principal_charged=Decimal("120.00"), outstanding=Decimal("0.00"))
True
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["is_settled"]


def is_settled(*, principal_charged: Decimal, outstanding: Decimal) -> bool:
    """Whether a file owes nothing any more: something was owed, and every part of it, the
    interest counted to the day included, is paid.

    ``principal_charged`` is the principal the file ever carried (a file without any is not
    "paid": it has no debt yet); ``outstanding`` what it owes on the day, interest not yet
    booked included. A credit (a negative outstanding) is settled too: the surplus is paid back.

    >>> is_settled(principal_charged=Decimal("0.00"), outstanding=Decimal("0.00"))
    False
    >>> is_settled(principal_charged=Decimal("120.00"), outstanding=Decimal("0.01"))
    False
    """
    return principal_charged > 0 and outstanding <= 0
