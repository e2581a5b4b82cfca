"""Which dispute reasons fit which creditor: the one home of that rule.

A reason that cannot happen in the creditor's sector only confuses the debtor: nobody returns
a telecom subscription by post, and an energy supplier delivers no parcel. So the goods reasons
("I returned the item", "I never received the item") are offered for a seller of goods (and a
creditor of unknown sector), the subscription reason ("I got invoices after cancelling") for a
periodic supply (energy, telecom) and an unknown sector. Every file, whatever the sector, offers
the reasons any debtor may have: the amount is wrong, I am not the debtor (identity theft), the
debt is time-barred (docs/legal.md, section 8) and another reason, so that no debtor is left
without a way to dispute with reasons (CEL art. XIX.7 §3).
"""

from __future__ import annotations

from amicable.disputes.models import DisputeReason

__all__ = ["EVERY_FILE", "reasons_for_sector"]

#: Offered on every file, whatever the creditor's sector.
EVERY_FILE: frozenset[DisputeReason] = frozenset(
    {
        DisputeReason.CONTRACT_CANCELLED,
        DisputeReason.NEVER_SIGNED,
        DisputeReason.INVOICE_NOT_RECEIVED,
        DisputeReason.SERVICE_DISPUTED,
        DisputeReason.AMOUNT_WRONG,
        DisputeReason.NOT_THE_DEBTOR,
        DisputeReason.TIME_BARRED,
        DisputeReason.OTHER,
    }
)
_GOODS = frozenset({DisputeReason.RETURNED_ITEM, DisputeReason.ITEM_NOT_RECEIVED})
_SUBSCRIPTION = frozenset({DisputeReason.INVOICES_AFTER_CANCELLATION})

# By the sector codes of amicable.files.models.Sector; a sector not named here is unknown and
# gets every reason.
_BY_SECTOR: dict[str, frozenset[DisputeReason]] = {
    "retail": EVERY_FILE | _GOODS,
    "energy": EVERY_FILE | _SUBSCRIPTION,
    "telecom": EVERY_FILE | _SUBSCRIPTION,
}


def reasons_for_sector(sector: str) -> tuple[DisputeReason, ...]:
    """The reasons a file of a creditor in ``sector`` offers, in the order of the enum.

    >>> DisputeReason.RETURNED_ITEM in reasons_for_sector("telecom")
    False
    >>> DisputeReason.TIME_BARRED in reasons_for_sector("retail")
    True
    """
    offered = _BY_SECTOR.get(sector, EVERY_FILE | _GOODS | _SUBSCRIPTION)
    return tuple(reason for reason in DisputeReason if reason in offered)
