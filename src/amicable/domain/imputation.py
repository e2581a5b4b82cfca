"""Imputation of a payment on the open amounts of a file (old Civil Code art. 1253 to 1256).

Which debt a payment extinguishes (imputation des paiements / toerekening van betalingen):

* **The debtor's designation wins** (art. 1253): a payment made with the structured
  communication of one claim goes to that claim first.
* **Not principal before interest** (art. 1254): within a claim, and when nothing is designated,
  a payment goes to the interest first, then to the lump-sum indemnity and the reminder costs
  (the damages and costs of CEL art. XIX.4), and only then to the principal.
* **Oldest debt first** (art. 1256, docs/legal.md, section 6 policy): within a tier, the item with
  the oldest due date is paid first; between claims with the same due date, the lower claim id.

The lump-sum indemnity and the reminder costs form one tier: the oldest claim's costs are paid
before a younger claim's, and within one claim the indemnity comes before the reminder costs.

What the open items cannot absorb is an overpayment, to be refunded; nothing is ever lost or
created: the shares plus the overpayment always equal the payment, to the cent.

>>> result = impute(
...     Decimal("50.00"),
...     [
...         OpenItem(claim_id=1, component=Component.PRINCIPAL,
...                  amount=Decimal("100.00"), due_date=date(2025, 1, 10)),
...         OpenItem(claim_id=1, component=Component.INDEMNITY,
...                  amount=Decimal("20.00"), due_date=date(2025, 1, 10)),
...         OpenItem(claim_id=1, component=Component.INTEREST,
...                  amount=Decimal("3.15"), due_date=date(2025, 1, 10)),
...     ],
... )
>>> [(a.component.value, a.amount) for a in result.shares]
[('interest', Decimal('3.15')), ('indemnity', Decimal('20.00')), ('principal', Decimal('26.85'))]
>>> result.overpayment
Decimal('0.00')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from amicable.domain.money import CENT, ZERO, as_decimal, as_money

__all__ = [
    "Component",
    "Imputation",
    "OpenItem",
    "Share",
    "impute",
]


class Component(StrEnum):
    """The parts of a claim that a payment can extinguish; the values are stored."""

    INTEREST = "interest"
    INDEMNITY = "indemnity"
    REMINDER_COST = "reminder_cost"
    PRINCIPAL = "principal"


# The order of imputation: (tier, rank within the tier). Interest first (old Civil Code
# art. 1254), then the indemnity and the reminder costs as one tier, principal last.
_ORDER: dict[Component, tuple[int, int]] = {
    Component.INTEREST: (0, 0),
    Component.INDEMNITY: (1, 0),
    Component.REMINDER_COST: (1, 1),
    Component.PRINCIPAL: (2, 0),
}


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An amount still open on one component of one claim (``amount`` > 0, in cents)."""

    claim_id: int
    component: Component
    amount: Decimal
    due_date: date


@dataclass(frozen=True, slots=True)
class Share:
    """The part of a payment that goes to one component of one claim."""

    claim_id: int
    component: Component
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Imputation:
    """How a payment was split: its shares in order, and what is left to refund."""

    shares: tuple[Share, ...]
    overpayment: Decimal

    @property
    def allocated(self) -> Decimal:
        """The part of the payment that went to open items."""
        return sum((a.amount for a in self.shares), ZERO)


def _cents(value: Decimal, *, name: str) -> Decimal:
    """``value`` checked to be a positive whole number of cents (``TypeError`` for a float)."""
    amount = as_decimal(value, name=name)
    if amount <= 0:
        raise ValueError(f"The {name} must be more than zero, not {amount}.")
    if amount % CENT != 0:
        raise ValueError(f"The {name} {amount} has more than two decimals; use whole cents.")
    # Exactly two places from here on, so every allocation prints as cents.
    return as_money(amount)


def _sort_key(item: OpenItem) -> tuple[int, date, int, int]:
    tier, rank = _ORDER[item.component]
    return (tier, item.due_date, item.claim_id, rank)


def impute(
    payment: Decimal,
    open_items: Sequence[OpenItem],
    *,
    designated_claim_id: int | None = None,
) -> Imputation:
    """Split ``payment`` over ``open_items`` (old Civil Code art. 1253 to 1256).

    Order: interest; then indemnity and reminder costs (indemnity first within a claim); then
    principal; within a tier the oldest due date first, then the lower claim id. With
    ``designated_claim_id`` (art. 1253), that claim's items are paid first, in the same tier order
    (art. 1254 applies to the designated claim too), and the rest goes to the other items in the
    normal order. A designated claim with nothing open changes nothing.

    ``payment`` must be a ``Decimal`` of at least one cent with at most two decimals
    (``TypeError`` for a float, ``ValueError`` otherwise); so must every item's amount.
    Shares of zero are not listed. The sum of the shares plus the overpayment equals
    ``payment`` exactly.

    >>> items = [
    ...     OpenItem(claim_id=7, component=Component.PRINCIPAL,
    ...              amount=Decimal("80.00"), due_date=date(2025, 3, 1)),
    ...     OpenItem(claim_id=3, component=Component.PRINCIPAL,
    ...              amount=Decimal("60.00"), due_date=date(2025, 1, 1)),
    ... ]
    >>> [(a.claim_id, a.amount) for a in impute(Decimal("70"), items).shares]
    [(3, Decimal('60.00')), (7, Decimal('10.00'))]
    >>> designated = impute(Decimal("70"), items, designated_claim_id=7)
    >>> [(a.claim_id, a.amount) for a in designated.shares]
    [(7, Decimal('70.00'))]
    >>> impute(Decimal("200.00"), items).overpayment
    Decimal('60.00')
    """
    remaining = _cents(payment, name="payment")
    checked = [
        OpenItem(
            claim_id=item.claim_id,
            component=Component(item.component),
            amount=_cents(
                item.amount, name=f"open amount of claim {item.claim_id} ({item.component})"
            ),
            due_date=item.due_date,
        )
        for item in open_items
    ]
    # sorted() is stable: identical keys keep the caller's order, so the result is reproducible.
    ordered = sorted(checked, key=_sort_key)
    if designated_claim_id is not None:
        ordered = [i for i in ordered if i.claim_id == designated_claim_id] + [
            i for i in ordered if i.claim_id != designated_claim_id
        ]
    shares: list[Share] = []
    for item in ordered:
        if remaining == 0:
            break
        share = min(remaining, item.amount)
        shares.append(Share(claim_id=item.claim_id, component=item.component, amount=share))
        remaining -= share
    return Imputation(shares=tuple(shares), overpayment=remaining)
