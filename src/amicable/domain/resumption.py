"""Where a file stands again when a hold ends, and what it remembers when it enters one.

A file is held by a reasoned dispute (CEL art. XIX.7 §3), by an agent's suspension or a request
for the supporting documents (art. XIX.7 §3: documents given without delay), by an amicable
debt mediation (CEL Book XIX, Title 3) or by a collective debt settlement (Judicial Code
art. 1675/7). A file closed as PAID reopens when the bank returns a payment. In each case the
file remembers the state it left (:func:`state_to_remember`, stored on the file, never rebuilt
from the timeline), and :func:`resume_state` / :func:`reopen_state` say where it goes back to.
Every path that lifts a hold (the daily run for a suspension whose end date passed, an agent's
decision on a dispute, the end of a mediation) asks these functions.

>>> resume_state(hold=FileState.DISPUTED, before=FileState.IN_COLLECTION, claims=(),
...              plan_running=False, today=date(2025, 5, 2))
<FileState.FORMAL_NOTICE: 'formal_notice'>
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from amicable.domain.lifecycle import ALLOWED_TRANSITIONS, SUSPENDING_STATES, FileState

__all__ = [
    "HOLD_STATES",
    "ClaimStage",
    "reopen_state",
    "resume_state",
    "state_to_remember",
]

#: The states that hold collection until a decision or a date lifts them.
HOLD_STATES: frozenset[FileState] = SUSPENDING_STATES

# States a file remembers: a hold, and PAID (which a returned payment undoes).
_REMEMBERING = HOLD_STATES | {FileState.PAID}

# The stages at and after the formal notice: after a hold, collection "may resume with a new
# notice" (CEL art. XIX.7 §3), never half-way through the 14 days that followed the old one.
_AFTER_NOTICE = frozenset(
    {
        FileState.FORMAL_NOTICE,
        FileState.WAITING_PERIOD,
        FileState.IN_COLLECTION,
        FileState.PAYMENT_PLAN,
    }
)


def state_to_remember(
    *, leaving: FileState, entering: FileState, remembered: FileState | None
) -> FileState | None:
    """The state a file keeps as "where it stood" after moving from ``leaving`` to ``entering``.

    Entering a hold or PAID from a working state remembers that state; moving from one hold to
    another (a dispute, then a collective settlement) keeps the state remembered first; any
    other move forgets it.

    >>> state_to_remember(leaving=FileState.DISPUTED, entering=FileState.COLLECTIVE_SETTLEMENT,
    ...                   remembered=FileState.WAITING_PERIOD)
    <FileState.WAITING_PERIOD: 'waiting_period'>
    >>> state_to_remember(leaving=FileState.DISPUTED, entering=FileState.FORMAL_NOTICE,
    ...                   remembered=FileState.WAITING_PERIOD) is None
    True
    """
    if FileState(entering) not in _REMEMBERING:
        return None
    if FileState(leaving) in _REMEMBERING:
        return remembered
    return FileState(leaving)


@dataclass(frozen=True, slots=True)
class ClaimStage:
    """How far a claim's first reminder went: sent or not, and its first chargeable day."""

    first_reminder_sent: bool
    first_chargeable_day: date | None


def _pre_notice_stage(claims: Sequence[ClaimStage], today: date) -> FileState:
    """Where a file that never reached its formal notice stands: its claims say it."""
    if not claims or any(not c.first_reminder_sent for c in claims):
        return FileState.FIRST_REMINDER_PENDING
    if any(c.first_chargeable_day is None or today < c.first_chargeable_day for c in claims):
        return FileState.GRACE_PERIOD
    return FileState.FORMAL_NOTICE


def resume_state(
    *,
    hold: FileState,
    before: FileState | None,
    claims: Sequence[ClaimStage],
    plan_running: bool,
    today: date,
) -> FileState:
    """Where a file held in ``hold`` goes when the hold is lifted.

    Policy, one answer for every kind of hold (the safer reading for the consumer):

    - a collective debt settlement ends here only by its revocation, which gives the creditor
      its individual rights back (Judicial Code art. 1675/15): collection resumes;
    - a file held during a payment plan that still runs: the plan continues;
    - a file held at or after its formal notice: a new formal notice, with a new 14-day
      waiting period (CEL art. XIX.7 §3: collection "may resume with a new notice");
    - a file held before its formal notice goes back to where its claims stand: the free first
      reminder to send, its 14 days running, or the notice due (CEL art. XIX.2).

    >>> claims = [ClaimStage(first_reminder_sent=True, first_chargeable_day=date(2025, 3, 20))]
    >>> resume_state(hold=FileState.SUSPENDED, before=FileState.GRACE_PERIOD, claims=claims,
    ...              plan_running=False, today=date(2025, 3, 10))
    <FileState.GRACE_PERIOD: 'grace_period'>
    >>> resume_state(hold=FileState.DEBT_MEDIATION, before=FileState.PAYMENT_PLAN,
    ...              claims=claims, plan_running=True, today=date(2025, 6, 1))
    <FileState.PAYMENT_PLAN: 'payment_plan'>
    """
    hold = FileState(hold)
    if hold == FileState.COLLECTIVE_SETTLEMENT:
        return FileState.IN_COLLECTION
    if before == FileState.PAYMENT_PLAN and plan_running:
        return FileState.PAYMENT_PLAN
    if before in _AFTER_NOTICE:
        return FileState.FORMAL_NOTICE
    return _pre_notice_stage(claims, today)


def reopen_state(before: FileState | None) -> FileState:
    """Where a PAID file goes when a payment is returned by the bank: the stage it had reached,
    where the lifecycle lets it go back (the debt was never extinguished), else collection.

    >>> reopen_state(FileState.WAITING_PERIOD)
    <FileState.WAITING_PERIOD: 'waiting_period'>
    >>> reopen_state(None)
    <FileState.IN_COLLECTION: 'in_collection'>
    """
    if before is not None and before in ALLOWED_TRANSITIONS[FileState.PAID]:
        return FileState(before)
    return FileState.IN_COLLECTION
