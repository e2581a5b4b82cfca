"""The states of a collection file and the moves between them that the law allows.

A file goes through the steps that Book XIX of the Code of Economic Law (CEL) prescribes for the
amicable collection of a consumer debt:

1. the **free first reminder** and its period of at least 14 days (art. XIX.2): no damages, no
   interest, no cost may be booked before that period is over;
2. the **formal notice** (mise en demeure / ingebrekestelling) with which every collection by an
   agency starts (art. XIX.7 §1 and §2);
3. the **waiting period** of 14 days that follows it, during which no further collection step is
   taken and the consumer may press the "stop button": ask for a payment plan, turn to debt
   mediation, or dispute the debt with reasons (art. XIX.7 §3);
4. the collection itself, or a payment plan.

At any moment the file may be stopped by a reasoned dispute (collection is suspended at once,
art. XIX.7 §3), by amicable debt mediation (CEL Book XIX, Title 3), or by the admissibility of a
collective debt settlement (Judicial Code art. 1675/7: enforcement suspended, interest stops,
only the court-appointed mediator is dealt with).

Two tables hold the rules, in the manner of an order-status pipeline:

* :data:`RULES` says what a state permits (booking charges, sending letters, contacting the
  debtor, accrual of interest);
* :data:`ALLOWED_TRANSITIONS` says which state may follow which. :func:`check_transition` is the
  only check; the service that changes a file's state calls it before anything is written.

>>> check_transition(FileState.WAITING_PERIOD, FileState.IN_COLLECTION)
>>> check_transition(FileState.GRACE_PERIOD, FileState.IN_COLLECTION)
Traceback (most recent call last):
    ...
amicable.domain.lifecycle.TransitionRefused: A file in state 'grace_period' cannot move to \
'in_collection' (CEL art. XIX.2 and XIX.7 §1: every collection starts with a formal notice, \
after the 14-day period of the first reminder). Allowed next states: closed, \
collective_settlement, debt_mediation, disputed, first_reminder_pending, formal_notice, paid, \
suspended.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from amicable.domain.errors import DomainError

__all__ = [
    "ALLOWED_TRANSITIONS",
    "OPEN_STATES",
    "RULES",
    "SUSPENDING_STATES",
    "AgentAction",
    "FileState",
    "StateRules",
    "TransitionRefused",
    "actions_allowed",
    "check_transition",
    "is_open",
    "rules_for",
]


class FileState(StrEnum):
    """Where a collection file stands; the values are stored in the database."""

    #: Received from the creditor; the agency checks that the claim is chargeable before any
    #: step (CEL art. XIX.5 ff.: first reminder sent, period over, amounts within the caps).
    NEW = "new"
    #: No first reminder is known: the agency must send the free first reminder itself
    #: (CEL art. XIX.2).
    FIRST_REMINDER_PENDING = "first_reminder_pending"
    #: The first reminder was sent and its period of at least 14 days runs (CEL art. XIX.2).
    GRACE_PERIOD = "grace_period"
    #: The claim is chargeable; the formal notice of CEL art. XIX.7 §2 is to be sent.
    FORMAL_NOTICE = "formal_notice"
    #: The 14 days after the formal notice, the consumer's "stop button" (CEL art. XIX.7 §3).
    WAITING_PERIOD = "waiting_period"
    #: Amicable collection under way.
    IN_COLLECTION = "in_collection"
    #: A payment plan agreed with the consumer runs.
    PAYMENT_PLAN = "payment_plan"
    #: Held by an agent, or supporting documents were requested and are awaited
    #: (CEL art. XIX.7 §3: documents given without delay on request).
    SUSPENDED = "suspended"
    #: The consumer disputed the debt with reasons: collection is suspended at once until the
    #: file is checked or the evidence given (CEL art. XIX.7 §3).
    DISPUTED = "disputed"
    #: Amicable debt mediation runs (CEL Book XIX, Title 3): collection suspended.
    DEBT_MEDIATION = "debt_mediation"
    #: Collective debt settlement admitted (Judicial Code art. 1675/7): the file is frozen at the
    #: admissibility date, interest stops, only the mediator is dealt with.
    COLLECTIVE_SETTLEMENT = "collective_settlement"
    #: Fully paid.
    PAID = "paid"
    #: Withdrawn by the creditor, written off, or closed unpaid.
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class StateRules:
    """What a file in one state permits.

    ``charging``: damages, interest or reminder costs may be *booked* (CEL art. XIX.2 and XIX.4).
    ``letters``: a written collection message (paper letter or e-mail) may be sent.
    ``contact``: the debtor may be called, sent an SMS, or visited for collection.
    ``accrues_interest``: late interest keeps running (from the first chargeable day; the amount
    is computed by :mod:`amicable.domain.interest`, and only booked where ``charging`` is true).
    ``is_open``: the file is not finished.
    """

    charging: bool
    letters: bool
    contact: bool
    accrues_interest: bool
    is_open: bool
    description: str


def _rules(
    *, charging: bool, letters: bool, contact: bool, accrues_interest: bool, description: str
) -> StateRules:
    # Every state in this helper is open; PAID and CLOSED are spelled out in full below.
    return StateRules(
        charging=charging,
        letters=letters,
        contact=contact,
        accrues_interest=accrues_interest,
        is_open=True,
        description=description,
    )


RULES: Mapping[FileState, StateRules] = MappingProxyType(
    {
        # Nothing happens before the agency has checked the claim (CEL art. XIX.5 ff.).
        FileState.NEW: _rules(
            charging=False,
            letters=False,
            contact=False,
            accrues_interest=True,
            description="Received; the claim is checked before any collection step.",
        ),
        # The only message allowed is the free first reminder itself (CEL art. XIX.2); calls
        # and visits are collection steps, which start with the formal notice (art. XIX.7 §1).
        FileState.FIRST_REMINDER_PENDING: _rules(
            charging=False,
            letters=True,
            contact=False,
            accrues_interest=True,
            description="No first reminder is known; the free first reminder is to be sent.",
        ),
        # Nothing may be charged and no step taken while the 14 days run (CEL art. XIX.2).
        FileState.GRACE_PERIOD: _rules(
            charging=False,
            letters=False,
            contact=False,
            accrues_interest=True,
            description="The 14-day period after the first reminder runs.",
        ),
        # The claim is chargeable: the indemnity and interest are booked so that the notice can
        # itemise them (CEL art. XIX.7 §2); the notice is the first collection step (§1).
        FileState.FORMAL_NOTICE: _rules(
            charging=True,
            letters=True,
            contact=False,
            accrues_interest=True,
            description="Chargeable; the formal notice is to be sent.",
        ),
        # No further collection step for 14 days (CEL art. XIX.7 §3); interest keeps accruing
        # and may be booked, since booking is not a step towards the consumer.
        FileState.WAITING_PERIOD: _rules(
            charging=True,
            letters=False,
            contact=False,
            accrues_interest=True,
            description="The 14 days after the formal notice run (the consumer's stop button).",
        ),
        FileState.IN_COLLECTION: _rules(
            charging=True,
            letters=True,
            contact=True,
            accrues_interest=True,
            description="Amicable collection under way.",
        ),
        FileState.PAYMENT_PLAN: _rules(
            charging=True,
            letters=True,
            contact=True,
            accrues_interest=True,
            description="A payment plan runs.",
        ),
        # A hold or a request for documents: no step until it is lifted (CEL art. XIX.7 §3).
        FileState.SUSPENDED: _rules(
            charging=False,
            letters=False,
            contact=False,
            accrues_interest=True,
            description="Suspended by an agent, or supporting documents requested.",
        ),
        # A reasoned dispute suspends collection at once (CEL art. XIX.7 §3); harassing a
        # consumer who disputed is an unfair practice (former law of 20 December 2002, art. 3).
        FileState.DISPUTED: _rules(
            charging=False,
            letters=False,
            contact=False,
            accrues_interest=True,
            description="Disputed with reasons; collection suspended.",
        ),
        # Amicable debt mediation suspends collection (CEL Book XIX, Title 3).
        FileState.DEBT_MEDIATION: _rules(
            charging=False,
            letters=False,
            contact=False,
            accrues_interest=True,
            description="Amicable debt mediation runs; collection suspended.",
        ),
        # From the admissibility decision interest stops and only the mediator is dealt with
        # (Judicial Code art. 1675/7).
        FileState.COLLECTIVE_SETTLEMENT: _rules(
            charging=False,
            letters=False,
            contact=False,
            accrues_interest=False,
            description="Collective debt settlement admitted; frozen, interest stopped.",
        ),
        FileState.PAID: StateRules(
            charging=False,
            letters=False,
            contact=False,
            accrues_interest=False,
            is_open=False,
            description="Fully paid.",
        ),
        FileState.CLOSED: StateRules(
            charging=False,
            letters=False,
            contact=False,
            accrues_interest=False,
            is_open=False,
            description="Withdrawn, written off, or closed unpaid.",
        ),
    }
)


def rules_for(state: FileState) -> StateRules:
    """What a file in ``state`` permits (see :data:`RULES`).

    >>> rules_for(FileState.DISPUTED).charging
    False
    >>> rules_for(FileState.WAITING_PERIOD).charging, rules_for(FileState.WAITING_PERIOD).letters
    (True, False)
    """
    return RULES[FileState(state)]


OPEN_STATES: frozenset[FileState] = frozenset(s for s, r in RULES.items() if r.is_open)

#: States in which collection stands still for a reason outside the agent's pipeline.
SUSPENDING_STATES: frozenset[FileState] = frozenset(
    {
        FileState.SUSPENDED,
        FileState.DISPUTED,
        FileState.DEBT_MEDIATION,
        FileState.COLLECTIVE_SETTLEMENT,
    }
)


def is_open(state: FileState) -> bool:
    """Whether a file in ``state`` is still open (not paid, not closed).

    >>> is_open(FileState.DISPUTED), is_open(FileState.PAID)
    (True, False)
    """
    return rules_for(state).is_open


# Where any open file may go, whatever its stage:
# - DISPUTED: the consumer may dispute with reasons at any time; collection stops at once
#   (CEL art. XIX.7 §3);
# - SUSPENDED: an agent's hold, or the consumer asked for the supporting documents, which are
#   owed without delay (CEL art. XIX.7 §3);
# - DEBT_MEDIATION: the consumer turned to amicable debt mediation (CEL Book XIX, Title 3);
# - COLLECTIVE_SETTLEMENT: a court admitted the consumer to a collective debt settlement, which
#   binds every creditor whatever the file's stage (Judicial Code art. 1675/7);
# - PAID: payment, by anyone and at any moment, extinguishes the debt (old Civil Code art. 1234);
# - CLOSED: the creditor may withdraw the file or write the debt off at any moment.
_ALWAYS_REACHABLE = frozenset(
    {
        FileState.DISPUTED,
        FileState.SUSPENDED,
        FileState.DEBT_MEDIATION,
        FileState.COLLECTIVE_SETTLEMENT,
        FileState.PAID,
        FileState.CLOSED,
    }
)

# Where a suspension may end. A file suspended before it was chargeable goes back to the first
# reminder or its period (CEL art. XIX.2); a chargeable one needs a new formal notice
# (CEL art. XIX.7 §1), unless collection or a plan simply continues.
_RESUMPTIONS = frozenset(
    {
        FileState.FIRST_REMINDER_PENDING,
        FileState.GRACE_PERIOD,
        FileState.FORMAL_NOTICE,
        FileState.IN_COLLECTION,
        FileState.PAYMENT_PLAN,
    }
)


def _open_exits(state: FileState, *extra: FileState) -> frozenset[FileState]:
    # A state never "moves" to itself: such a call is a mistake, not a transition.
    return frozenset({*_ALWAYS_REACHABLE, *extra}) - {state}


ALLOWED_TRANSITIONS: Mapping[FileState, frozenset[FileState]] = MappingProxyType(
    {
        # After the check (CEL art. XIX.5 ff.): no first reminder known -> the agency sends it
        # (art. XIX.2); reminder sent and period running -> wait; period over -> formal notice.
        FileState.NEW: _open_exits(
            FileState.NEW,
            FileState.FIRST_REMINDER_PENDING,
            FileState.GRACE_PERIOD,
            FileState.FORMAL_NOTICE,
        ),
        # The free first reminder is sent: its 14-day period starts (CEL art. XIX.2).
        FileState.FIRST_REMINDER_PENDING: _open_exits(
            FileState.FIRST_REMINDER_PENDING, FileState.GRACE_PERIOD
        ),
        # The period is over: the claim is chargeable and the formal notice is due
        # (CEL art. XIX.2 and XIX.7 §1). Nothing else: no plan carrying charges, no collection.
        # A first reminder returned undelivered (its e-mail bounced) was never sent: back to
        # the reminder, whose period starts again when it leaves by post.
        FileState.GRACE_PERIOD: _open_exits(
            FileState.GRACE_PERIOD, FileState.FORMAL_NOTICE, FileState.FIRST_REMINDER_PENDING
        ),
        # The notice is sent: the 14-day waiting period starts (CEL art. XIX.7 §3). The consumer
        # may ask for a payment plan even before it is sent.
        FileState.FORMAL_NOTICE: _open_exits(
            FileState.FORMAL_NOTICE, FileState.WAITING_PERIOD, FileState.PAYMENT_PLAN
        ),
        # The period is over -> collection; the stop button -> a payment plan
        # (CEL art. XIX.7 §3); a notice returned undelivered -> a new notice, which restarts the
        # 14 days.
        FileState.WAITING_PERIOD: _open_exits(
            FileState.WAITING_PERIOD,
            FileState.IN_COLLECTION,
            FileState.PAYMENT_PLAN,
            FileState.FORMAL_NOTICE,
        ),
        # The consumer asks for a payment plan (CEL art. XIX.7 §3 and the duty to explain
        # payment facilities).
        FileState.IN_COLLECTION: _open_exits(FileState.IN_COLLECTION, FileState.PAYMENT_PLAN),
        # A broken plan: collection resumes, or a new notice is sent first.
        FileState.PAYMENT_PLAN: _open_exits(
            FileState.PAYMENT_PLAN, FileState.IN_COLLECTION, FileState.FORMAL_NOTICE
        ),
        # The hold is lifted, or the documents were given: the file resumes (CEL art. XIX.7 §3).
        FileState.SUSPENDED: _open_exits(FileState.SUSPENDED, *_RESUMPTIONS),
        # Once the file is checked or the evidence given, collection "may resume with a new
        # notice" (CEL art. XIX.7 §3): never straight back to IN_COLLECTION. A plan agreed to
        # settle the dispute is fine, and so is the pre-notice stage if the dispute came early.
        FileState.DISPUTED: _open_exits(
            FileState.DISPUTED, *(_RESUMPTIONS - {FileState.IN_COLLECTION})
        ),
        # The mediation ends with a plan, without one, or in a court procedure
        # (CEL Book XIX, Title 3; Judicial Code art. 1675/2).
        FileState.DEBT_MEDIATION: _open_exits(FileState.DEBT_MEDIATION, *_RESUMPTIONS),
        # The procedure ends with the plan paid, with a discharge (the claim is closed), or with
        # its revocation, which gives the creditor its individual rights back
        # (Judicial Code art. 1675/15). Nothing else: while it runs the court decides.
        FileState.COLLECTIVE_SETTLEMENT: frozenset(
            {FileState.PAID, FileState.CLOSED, FileState.IN_COLLECTION}
        ),
        # Final, except that a payment returned by the bank (recalled or reversed) reopens the
        # file at the stage it had reached: the debt was never extinguished.
        FileState.PAID: frozenset(
            {
                FileState.FIRST_REMINDER_PENDING,
                FileState.GRACE_PERIOD,
                FileState.FORMAL_NOTICE,
                FileState.WAITING_PERIOD,
                FileState.IN_COLLECTION,
                FileState.PAYMENT_PLAN,
            }
        ),
        # Final: a withdrawn or written-off file is never collected again.
        FileState.CLOSED: frozenset(),
    }
)

# Why a move is refused, for the moves a person is likely to try; the fallback names the state.
_REFUSAL_REASONS: Mapping[tuple[FileState, FileState], str] = MappingProxyType(
    {
        (FileState.GRACE_PERIOD, FileState.IN_COLLECTION): (
            "CEL art. XIX.2 and XIX.7 §1: every collection starts with a formal notice, after "
            "the 14-day period of the first reminder"
        ),
        (FileState.NEW, FileState.IN_COLLECTION): (
            "CEL art. XIX.7 §1: every collection starts with a formal notice"
        ),
        (FileState.FORMAL_NOTICE, FileState.IN_COLLECTION): (
            "CEL art. XIX.7 §3: no further step during the 14 days after the formal notice"
        ),
        (FileState.DISPUTED, FileState.IN_COLLECTION): (
            "CEL art. XIX.7 §3: after a reasoned dispute, collection resumes with a new notice"
        ),
        (FileState.GRACE_PERIOD, FileState.PAYMENT_PLAN): (
            "CEL art. XIX.2: nothing may be charged before the first reminder's period is over"
        ),
    }
)


class TransitionRefused(DomainError):
    """A file cannot move from one state to another (see :data:`ALLOWED_TRANSITIONS`)."""

    def __init__(self, old: FileState, new: FileState, why: str) -> None:
        self.old = old
        self.new = new
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[old])) or "none (the file is final)"
        super().__init__(
            f"A file in state '{old}' cannot move to '{new}' ({why}). "
            f"Allowed next states: {allowed}."
        )


def check_transition(old: FileState, new: FileState) -> None:
    """Refuse, with the reason, a state change the law does not allow.

    Raises :class:`TransitionRefused`; returns ``None`` when the move is allowed.

    >>> check_transition(FileState.COLLECTIVE_SETTLEMENT, FileState.PAID)
    >>> check_transition(FileState.CLOSED, FileState.IN_COLLECTION)
    Traceback (most recent call last):
        ...
    amicable.domain.lifecycle.TransitionRefused: A file in state 'closed' cannot move to \
'in_collection' (a closed file is final). Allowed next states: none (the file is final).
    """
    old, new = FileState(old), FileState(new)
    if new in ALLOWED_TRANSITIONS[old]:
        return
    if old == new:
        why = "the file is already in that state"
    elif old == FileState.CLOSED:
        why = "a closed file is final"
    elif old == FileState.COLLECTIVE_SETTLEMENT:
        why = (
            "Judicial Code art. 1675/7: during a collective debt settlement the file stays "
            "frozen until the plan is paid, the debt is discharged, or the procedure is revoked"
        )
    elif old == FileState.PAID:
        why = "a paid file only reopens when a payment is returned by the bank"
    else:
        why = _REFUSAL_REASONS.get((old, new), "not a step of the collection under CEL Book XIX")
    raise TransitionRefused(old, new, why)


class AgentAction(StrEnum):
    """What an agent may do on a file from the back office."""

    ADD_NOTE = "add_note"
    REVIEW_PROOF = "review_proof"
    SEND_LETTER = "send_letter"
    LOG_CALL = "log_call"
    AGREE_PAYMENT_PLAN = "agree_payment_plan"
    REGISTER_DISPUTE = "register_dispute"
    RESOLVE_DISPUTE = "resolve_dispute"
    SUSPEND = "suspend"
    RECORD_DEBT_MEDIATION = "record_debt_mediation"
    RECORD_COLLECTIVE_SETTLEMENT = "record_collective_settlement"
    RESUME = "resume"
    WITHDRAW = "withdraw"
    DECLARE_CLAIM = "declare_claim"


# Actions that move the file into one state: allowed exactly where the move is.
_ACTION_TARGETS: Mapping[AgentAction, FileState] = MappingProxyType(
    {
        AgentAction.REGISTER_DISPUTE: FileState.DISPUTED,
        AgentAction.SUSPEND: FileState.SUSPENDED,
        AgentAction.RECORD_DEBT_MEDIATION: FileState.DEBT_MEDIATION,
        AgentAction.RECORD_COLLECTIVE_SETTLEMENT: FileState.COLLECTIVE_SETTLEMENT,
        AgentAction.WITHDRAW: FileState.CLOSED,
    }
)

# RESUME lifts a hold or a mediation, or records the revocation of a collective settlement.
# A dispute is lifted by RESOLVE_DISPUTE, which also records the outcome.
_RESUMABLE = frozenset(
    {FileState.SUSPENDED, FileState.DEBT_MEDIATION, FileState.COLLECTIVE_SETTLEMENT}
)


def actions_allowed(state: FileState) -> frozenset[AgentAction]:
    """The back-office actions open to an agent on a file in ``state``.

    Notes and the review of a proof of payment are always possible: they change nothing for the
    consumer. Letters and calls follow :data:`RULES` (``letters``, ``contact``); the actions that
    move the file follow :data:`ALLOWED_TRANSITIONS`.

    >>> sorted(actions_allowed(FileState.CLOSED))
    [<AgentAction.ADD_NOTE: 'add_note'>, <AgentAction.REVIEW_PROOF: 'review_proof'>]
    >>> AgentAction.LOG_CALL in actions_allowed(FileState.DISPUTED)
    False
    """
    state = FileState(state)
    rules = rules_for(state)
    exits = ALLOWED_TRANSITIONS[state]
    actions = {AgentAction.ADD_NOTE, AgentAction.REVIEW_PROOF}
    if rules.letters:
        actions.add(AgentAction.SEND_LETTER)
    if rules.contact:
        actions.add(AgentAction.LOG_CALL)
    # A running plan may be renegotiated without leaving the state.
    # (A paid file reopens into a plan only when a payment comes back: not an agent's choice.)
    if rules.is_open and (FileState.PAYMENT_PLAN in exits or state == FileState.PAYMENT_PLAN):
        actions.add(AgentAction.AGREE_PAYMENT_PLAN)
    if state == FileState.DISPUTED:
        actions.add(AgentAction.RESOLVE_DISPUTE)
    if state in _RESUMABLE:
        actions.add(AgentAction.RESUME)
    # The creditor's claim goes to the court-appointed mediator, the one person the agency may
    # still address (Judicial Code art. 1675/9 §2: declared within one month of notification).
    if state == FileState.COLLECTIVE_SETTLEMENT:
        actions.add(AgentAction.DECLARE_CLAIM)
    actions.update(action for action, target in _ACTION_TARGETS.items() if target in exits)
    return frozenset(actions)
