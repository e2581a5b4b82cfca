"""The agency's rules for payment plans that the portal accepts at once (journey 2).

The law does not set these numbers: CEL art. XIX.7 §3 lets the consumer ask for a payment plan
during the waiting period after the formal notice (the "stop button"), and the collector must
explain payment facilities when the consumer mentions difficulties. Which plans an agency
agrees to without an agent looking at them is its policy. amicable's default policy:

* at most :attr:`PlanRules.max_instalments` monthly instalments (12);
* each instalment at least :attr:`PlanRules.min_instalment` (EUR 25.00);
* the first one due within :attr:`PlanRules.max_days_to_first_due` calendar days (30).

A request within these rules is accepted at once; any other request goes to an agent, who may
still agree to it. None of these rules refuses anything to the consumer outright.

The values can be changed without touching the code with the setting ``PAYMENT_PLAN_RULES``, a
dict of the fields of :class:`PlanRules` (for example ``{"max_instalments": 10}``).

>>> split_amounts(Decimal("457.76"), 3)
(Decimal('152.60'), Decimal('152.58'), Decimal('152.58'))
>>> due_dates(date(2025, 1, 31), 3)
(datetime.date(2025, 1, 31), datetime.date(2025, 2, 28), datetime.date(2025, 3, 31))
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from django.conf import settings

from amicable.domain.lifecycle import FileState, rules_for
from amicable.domain.money import as_decimal, to_cents_down

__all__ = [
    "AGENT_RULES",
    "DEFAULT_RULES",
    "SELF_SERVICE_STATES",
    "Breach",
    "PlanRules",
    "breaches",
    "current_rules",
    "due_dates",
    "may_ask_for_plan",
    "split_amounts",
]


@dataclass(frozen=True, slots=True)
class PlanRules:
    """What a plan must respect to be accepted without an agent."""

    max_instalments: int = 12
    min_instalment: Decimal = Decimal("25.00")
    max_days_to_first_due: int = 30

    def __post_init__(self) -> None:
        as_decimal(self.min_instalment, name="min_instalment")
        for name in ("max_instalments", "max_days_to_first_due"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}.")


DEFAULT_RULES = PlanRules()

#: What an agent may agree: anything a plan can hold (1 to 99 instalments, one structured
#: communication each; the first within a year). The self-service rules bind the portal, not the
#: agent, who looks at the debtor's situation (CEL art. XIX.7 §3: payment facilities explained).
AGENT_RULES = PlanRules(
    max_instalments=99, min_instalment=Decimal("0.01"), max_days_to_first_due=365
)


def current_rules() -> PlanRules:
    """The rules in force: the defaults, overridden by ``settings.PAYMENT_PLAN_RULES``."""
    overrides = getattr(settings, "PAYMENT_PLAN_RULES", None) or {}
    return PlanRules(**overrides)


#: The stages in which a plan agreed in the portal simply replaces collection: after the formal
#: notice (CEL art. XIX.7 §3, the stop button) or during collection. Before the notice nothing
#: beyond the principal is due yet (CEL art. XIX.2); a disputed, suspended or mediated file is
#: for an agent to settle; in a collective debt settlement the court's plan applies.
SELF_SERVICE_STATES: frozenset[FileState] = frozenset(
    {FileState.FORMAL_NOTICE, FileState.WAITING_PERIOD, FileState.IN_COLLECTION}
)


def may_ask_for_plan(state: FileState) -> bool:
    """Whether the portal offers the plan form: on any open file, except in a collective debt
    settlement, where the plan is the court's and only the mediator is dealt with (Judicial Code
    art. 1675/7)."""
    return rules_for(state).is_open and state is not FileState.COLLECTIVE_SETTLEMENT


class Breach(StrEnum):
    """Why a request goes to an agent instead of being accepted at once."""

    TOO_MANY_INSTALMENTS = "too_many_instalments"
    INSTALMENT_TOO_SMALL = "instalment_too_small"
    FIRST_DUE_TOO_LATE = "first_due_too_late"
    FILE_STAGE = "file_stage"


def split_amounts(total: Decimal, count: int) -> tuple[Decimal, ...]:
    """``total`` in ``count`` instalments: equal amounts truncated to the cent, the first one
    carrying the remaining cents, so that the instalments add up exactly to ``total``."""
    total = as_decimal(total, name="total")
    if count < 1:
        raise ValueError(f"A plan has at least one instalment, not {count}.")
    each = to_cents_down(Fraction(total) / count)
    first = total - each * (count - 1)
    return (first, *([each] * (count - 1)))


def due_dates(first_due: date, count: int) -> tuple[date, ...]:
    """Monthly due dates on the day of the month of ``first_due``, or the month's last day."""
    dates = []
    for k in range(count):
        month_index = first_due.month - 1 + k
        year, month = first_due.year + month_index // 12, month_index % 12 + 1
        day = min(first_due.day, calendar.monthrange(year, month)[1])
        dates.append(date(year, month, day))
    return tuple(dates)


def breaches(
    *,
    total: Decimal,
    count: int,
    first_due: date,
    today: date,
    state: FileState,
    rules: PlanRules = DEFAULT_RULES,
) -> tuple[Breach, ...]:
    """Every rule of ``rules`` that the request breaks; empty when it is accepted at once.

    >>> breaches(total=Decimal("299.99"), count=12, first_due=date(2025, 6, 1),
    ...          today=date(2025, 5, 20), state=FileState.IN_COLLECTION)
    (<Breach.INSTALMENT_TOO_SMALL: 'instalment_too_small'>,)
    """
    found: list[Breach] = []
    if count > rules.max_instalments:
        found.append(Breach.TOO_MANY_INSTALMENTS)
    if min(split_amounts(total, count)) < rules.min_instalment:
        found.append(Breach.INSTALMENT_TOO_SMALL)
    if first_due > today + timedelta(days=rules.max_days_to_first_due):
        found.append(Breach.FIRST_DUE_TOO_LATE)
    if FileState(state) not in SELF_SERVICE_STATES:
        found.append(Breach.FILE_STAGE)
    return tuple(found)
