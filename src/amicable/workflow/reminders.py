"""The cost of a follow-up reminder, from a file's claims and letters: the same inputs for
the daily run that charges it and the letter that announces it.

The rule is :func:`amicable.domain.charges.decide_reminder_cost` (CEL art. XIX.2); this module
only says which of a file's facts it is given: the oldest claim carries the cost and its
contract must provide it; the file counts as regular supply if any claim is; the free
reminders are counted by :func:`amicable.domain.charges.reminders_earlier_this_year`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from amicable.domain.charges import ReminderCost, decide_reminder_cost, reminders_earlier_this_year
from amicable.workflow.models import StepKind
from amicable.workflow.selectors import PostageTable

__all__ = ["ReminderClaim", "SentLetter", "follow_up_cost"]


class ReminderClaim(Protocol):
    """What the cost of a reminder reads of a claim."""

    @property
    def first_reminder_sent_on(self) -> date | None: ...
    @property
    def first_chargeable_day(self) -> date | None: ...
    @property
    def regular_supply(self) -> bool: ...
    @property
    def reminder_cost_clause(self) -> bool: ...


class SentLetter(Protocol):
    """What the cost of a reminder reads of the file's other letters."""

    @property
    def id(self) -> int | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def produced_on(self) -> date | None: ...


def follow_up_cost(
    *,
    claims: Sequence[ReminderClaim],
    letters: Sequence[SentLetter],
    this: tuple[date, int],
    channel: str,
    postage: PostageTable,
    charging_allowed: bool,
) -> ReminderCost:
    """The cost the follow-up reminder ``this`` (its sending day and id) may carry.

    ``claims`` come oldest first; ``letters`` are the file's letter requests (the produced
    follow-ups count towards the free ones).
    """
    sent_on, _order = this
    oldest = claims[0]
    follow_ups = [
        (letter.produced_on, letter.id or 0)
        for letter in letters
        if letter.kind == StepKind.FOLLOW_UP_REMINDER and letter.produced_on is not None
    ]
    return decide_reminder_cost(
        channel=channel,
        postage_in_force=postage.on(sent_on),
        sent_on=sent_on,
        regular_supply=any(c.regular_supply for c in claims),
        earlier_reminders_this_year=reminders_earlier_this_year(
            first_reminder_days=[
                c.first_reminder_sent_on for c in claims if c.first_reminder_sent_on is not None
            ],
            follow_ups=follow_ups,
            this=this,
        ),
        first_chargeable_day=oldest.first_chargeable_day,
        charging_allowed=charging_allowed,
        has_clause=oldest.reminder_cost_clause,
    )
