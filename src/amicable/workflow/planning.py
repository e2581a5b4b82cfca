"""What the daily run does to each file of a batch, decided in memory from the loaded rows.

The planner writes nothing: it turns :class:`~amicable.workflow.batch.FileRow` values into a
:class:`BatchPlan` (state changes, claim updates, ledger entries, events, letters), which the
run then writes with a handful of bulk statements, or only prints in a dry run. Every rule comes
from :mod:`amicable.domain` (the grace period and the caps from ``law``, interest from
``interest``, the allowed moves from ``lifecycle``, working days from ``calendar``); this module
only says in which order the steps of a file are taken:

1. a suspension whose end date has passed ends (SUSPENDED -> the state the file resumes in);
   nothing else ever happens to a suspended or frozen file (dispute, debt mediation, collective
   debt settlement: CEL art. XIX.7 §3, Book XIX Title 3, Judicial Code art. 1675/7);
2. a file whose ledger is paid is closed (PAID; old Civil Code art. 1234);
3. the free first reminder is queued for the claims without one, and the 14-day period starts
   (CEL art. XIX.2): FIRST_REMINDER_PENDING -> GRACE_PERIOD;
4. when every claim's period is over: GRACE_PERIOD -> FORMAL_NOTICE, the indemnity is charged
   once per claim and the formal notice queued (art. XIX.4, XIX.7 §1);
5. the notice produced: its 14-day waiting period starts (art. XIX.7 §3), WAITING_PERIOD; once
   over: IN_COLLECTION;
6. a payment plan with an instalment unpaid past :data:`PLAN_TOLERANCE_DAYS` is broken:
   PAYMENT_PLAN -> IN_COLLECTION;
7. the strategy's follow-up reminders, with their cost where the law allows it (art. XIX.2);
8. interest is booked, through the last working day of each month (see :func:`interest_cutoff`).
"""

from __future__ import annotations

import calendar as month_calendar
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from amicable.domain import law
from amicable.domain.allocation import Component
from amicable.domain.calendar import add_working_days, is_working_day
from amicable.domain.interest import RateTable, accrued_interest
from amicable.domain.law import ChargeKind, Refusal, RefusalReason
from amicable.domain.lifecycle import SUSPENDING_STATES, FileState, check_transition, rules_for
from amicable.domain.money import ZERO
from amicable.plans.services import PlanBreak
from amicable.workflow.batch import ClaimRow, FileRow, LetterRow
from amicable.workflow.models import LetterStatus, StepChannel, StepKind
from amicable.workflow.selectors import PostageTable, Step, StrategyBook

__all__ = [
    "ACTOR",
    "PLAN_TOLERANCE_DAYS",
    "BatchPlan",
    "ClaimUpdate",
    "FileChange",
    "NewEntry",
    "NewEvent",
    "NewLetter",
    "RunContext",
    "interest_cutoff",
    "last_working_day_of_month",
    "plan_batch",
]

#: Who the run is, on the timeline and in the ledger (architecture.md, invariant 4).
ACTOR = "daily-run"

#: Policy: a payment plan breaks when an instalment is still unpaid this many calendar days
#: after its due date (the 14 days the law gives after a reminder or a notice, CEL art. XIX.2
#: and XIX.7 §3, applied by analogy; the law sets no figure for plans).
PLAN_TOLERANCE_DAYS = 14

# A file moved into FORMAL_NOTICE by this very run: no notice requested before counts.
_JUST_NOW = datetime.max.replace(tzinfo=UTC)


def last_working_day_of_month(year: int, month: int) -> date:
    """The last working day (new Civil Code art. 1.7) of a month.

    >>> last_working_day_of_month(2025, 5)   # Saturday 31 May: Friday 30 May
    datetime.date(2025, 5, 30)
    """
    day = date(year, month, month_calendar.monthrange(year, month)[1])
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def interest_cutoff(run_date: date) -> date:
    """The day through which the run of ``run_date`` books interest.

    Policy: interest is booked once a month, through the month's last working day, by the run
    of that day or of any later day of the month; on the other days the cutoff is the previous
    month's last working day, so a run missed at a month's end is caught up the next day, and
    nothing else is booked. Booking every day would write a row per claim per day; a payment
    books the interest up to its value date anyway (``amicable.files.ledger.post_payment``).

    >>> interest_cutoff(date(2025, 6, 30)), interest_cutoff(date(2025, 6, 12))
    (datetime.date(2025, 6, 30), datetime.date(2025, 5, 30))
    """
    this_month = last_working_day_of_month(run_date.year, run_date.month)
    if run_date >= this_month:
        return this_month
    previous = run_date.replace(day=1) - timedelta(days=1)
    return last_working_day_of_month(previous.year, previous.month)


@lru_cache(maxsize=256)
def _grace_period(sent_on: date, channel: str) -> law.GracePeriod:
    # A million files share a handful of (day, channel) pairs: compute each once.
    return law.grace_period(sent_on, channel)


@lru_cache(maxsize=4096)
def _add_working_days(day: date, n: int) -> date:
    # Likewise: the strategies' delays from a few hundred different days.
    return add_working_days(day, n)


@dataclass(frozen=True, slots=True)
class RunContext:
    """What every file of one run shares, read once before the first batch."""

    run_date: date
    strategies: StrategyBook
    postage: PostageTable
    rates: RateTable
    rates_until: date  # interest is never computed past the last day with a published rate
    interest_through: date


@dataclass(slots=True)
class FileChange:
    """The new values of a file's columns, written only if it is still in ``from_state``."""

    file_id: int
    from_state: FileState
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ClaimUpdate:
    """Claims that receive their first reminder: the same values for all of them."""

    claim_ids: tuple[int, ...]
    fields: tuple[tuple[str, Any], ...]


@dataclass(slots=True)
class NewEntry:
    """A ledger charge to write (``LedgerEntry``, kind charge, source daily run)."""

    file_id: int
    claim_id: int
    component: str
    amount: Decimal
    value_date: date
    note: str
    period_start: date | None = None
    period_end: date | None = None


@dataclass(slots=True)
class NewEvent:
    """A timeline event to write (``Event``, actor daily-run)."""

    file_id: int
    kind: str
    message: str
    data: dict[str, Any]
    visible_to_debtor: bool


@dataclass(slots=True)
class NewLetter:
    """A letter request to write (``LetterRequest``)."""

    file_id: int
    kind: str
    cycle: int
    step: int
    channel: str
    due_on: date
    charges_cost: bool
    data: dict[str, Any]


@dataclass(slots=True)
class BatchPlan:
    """Everything a batch writes, or, in a dry run, describes."""

    changes: dict[int, FileChange] = field(default_factory=dict)
    claim_updates: list[ClaimUpdate] = field(default_factory=list)
    entries: list[NewEntry] = field(default_factory=list)
    events: list[NewEvent] = field(default_factory=list)
    letters: list[NewLetter] = field(default_factory=list)
    applied_letter_ids: list[int] = field(default_factory=list)
    # Written by plans.services.mark_plans_broken, with their events.
    broken_plans: list[PlanBreak] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    amounts: defaultdict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    describe: bool = False  # keep a line per action (dry runs, verbose runs)
    lines: list[str] = field(default_factory=list)


def plan_batch(
    context: RunContext, files: Iterable[FileRow], *, describe: bool = False
) -> BatchPlan:
    """The plan of one batch; each file is decided on its own rows only."""
    plan = BatchPlan(describe=describe)
    first_reminders: dict[tuple[date, str], list[int]] = defaultdict(list)
    for file in files:
        _FilePlanner(context, plan, file, first_reminders).run()
    plan.counts["events"] += len(plan.events) + len(plan.broken_plans)
    plan.counts["ledger_entries"] += len(plan.entries)
    plan.counts["letters_queued"] += len(plan.letters)
    for key, claim_ids in first_reminders.items():
        sent_on, channel = key
        grace = _grace_period(sent_on, channel)
        plan.claim_updates.append(
            ClaimUpdate(
                claim_ids=tuple(claim_ids),
                fields=(
                    ("first_reminder_sent_on", sent_on),
                    ("first_reminder_channel", channel),
                    ("grace_last_day", grace.last_day),
                    ("first_chargeable_day", grace.first_chargeable_day),
                ),
            )
        )
    return plan


def _indemnity_clause(claim: ClaimRow) -> law.IndemnityClause | None:
    if not claim.indemnity_clause:
        return None
    return law.IndemnityClause(
        percent=claim.indemnity_percent,
        minimum=claim.indemnity_minimum,
        fixed=claim.indemnity_fixed,
    )


class _FilePlanner:
    """The steps of one file, in the order of the module docstring."""

    def __init__(
        self,
        context: RunContext,
        plan: BatchPlan,
        file: FileRow,
        first_reminders: dict[tuple[date, str], list[int]],
    ) -> None:
        self.context = context
        self.today = context.run_date
        self.plan = plan
        self.file = file
        self.first_reminders = first_reminders
        self.strategy = context.strategies.for_creditor(file.creditor_id)
        self.book_interest_through = context.interest_through

    # --- the steps ---------------------------------------------------------------------------

    def run(self) -> None:
        file = self.file
        self.plan.counts["files"] += 1
        if file.state == FileState.SUSPENDED:
            self.end_suspension()
        if file.state in SUSPENDING_STATES:
            return
        if self.close_if_paid():
            return
        if file.state in (FileState.FIRST_REMINDER_PENDING, FileState.GRACE_PERIOD):
            self.send_first_reminders()
        if file.state == FileState.GRACE_PERIOD:
            self.end_grace_period()
        if file.state == FileState.FORMAL_NOTICE:
            self.formal_notice()
        if file.plan_requested and file.state in (
            FileState.WAITING_PERIOD,
            FileState.IN_COLLECTION,
        ):
            # The debtor pressed the stop button (CEL art. XIX.7 §3): no further collection
            # step until an agent has answered the plan request. Interest still runs.
            self.plan.counts["held_for_plan_request"] += 1
        else:
            if file.state == FileState.WAITING_PERIOD:
                self.end_waiting_period()
            if file.state == FileState.PAYMENT_PLAN:
                self.payment_plan()
            if file.state == FileState.IN_COLLECTION:
                self.follow_ups()
        self.book_interest()

    def end_suspension(self) -> None:
        """A hold whose end date has passed is lifted (CEL art. XIX.7 §3: documents given)."""
        until = self.file.suspended_until
        if until is None or until >= self.today:
            return
        self.move(
            self.resumption(),
            reason=f"The suspension ended on {until.isoformat()}.",
            suspension_reason="",
            suspended_since=None,
            suspended_until=None,
        )
        self.plan.counts["suspensions_ended"] += 1

    def resumption(self) -> FileState:
        """Where a suspended file resumes.

        Policy: a file suspended at or after the formal notice gets a new notice and a new
        waiting period (CEL art. XIX.7 §3: collection "may resume with a new notice"), a running
        payment plan simply continues, and a file suspended before the notice resumes where
        its claims stand (first reminder to send, period running, or notice due).
        """
        before = self.file.state_before_suspension
        if before == FileState.PAYMENT_PLAN:
            return FileState.PAYMENT_PLAN
        if before in (FileState.FORMAL_NOTICE, FileState.WAITING_PERIOD, FileState.IN_COLLECTION):
            return FileState.FORMAL_NOTICE
        claims = self.file.claims
        if any(c.first_chargeable_day is None for c in claims):
            return FileState.FIRST_REMINDER_PENDING
        if any(c.first_chargeable_day and self.today < c.first_chargeable_day for c in claims):
            return FileState.GRACE_PERIOD
        return FileState.FORMAL_NOTICE

    def close_if_paid(self) -> bool:
        """Every booked charge is paid: the debt is extinguished (old Civil Code art. 1234)."""
        file = self.file
        if not file.has_principal or file.ledger_total > 0:
            return False
        self.move(
            FileState.PAID,
            reason=f"Paid in full: the ledger balance is {file.ledger_total}.",
            closed_on=self.today,
            closed_reason="Paid in full.",
        )
        self.plan.counts["files_paid"] += 1
        return True

    def send_first_reminders(self) -> None:
        """The agency's free first reminder for the claims without one (CEL art. XIX.2, XIX.6).

        The reminder counts as sent on the run date (the letters batch sends it that day; if it
        goes out later, ``record_letters_produced`` moves the period with it).
        """
        file = self.file
        if not file.claims:
            return
        missing = [c for c in file.claims if c.first_reminder_sent_on is None]
        step = self.strategy.first_reminder
        firsts = [x for x in file.letters if x.kind == StepKind.FIRST_REMINDER]
        # Not while one is on its way (its claims get their day when it is produced), nor
        # after the letters batch refused the last one: an agent corrects the file and queues
        # it again, since queuing another every day would only repeat the refusal.
        waiting = any(x.status == LetterStatus.PENDING for x in firsts) or (
            bool(firsts) and firsts[-1].status == LetterStatus.REFUSED
        )
        due = _add_working_days(file.opened_on, step.delay_working_days) <= self.today
        if missing and due and not waiting:
            channel = self.channel(step)
            grace = _grace_period(self.today, channel)
            for claim in missing:
                claim.first_reminder_sent_on = self.today
                claim.first_reminder_channel = channel
                claim.grace_last_day = grace.last_day
                claim.first_chargeable_day = grace.first_chargeable_day
            self.first_reminders[(self.today, channel)].extend(c.id for c in missing)
            self.queue(
                step,
                cycle=self.next_cycle(StepKind.FIRST_REMINDER),
                due_on=self.today,
                channel=channel,
                data={
                    "claims": [c.reference for c in missing],
                    "grace_last_day": grace.last_day.isoformat(),
                },
            )
        if file.state == FileState.FIRST_REMINDER_PENDING and all(
            c.first_reminder_sent_on is not None for c in file.claims
        ):
            last_day = max(c.grace_last_day for c in file.claims if c.grace_last_day)
            self.move(
                FileState.GRACE_PERIOD,
                reason=f"First reminder sent; its 14-day period ends on {last_day.isoformat()} "
                "(CEL art. XIX.2).",
            )

    def end_grace_period(self) -> None:
        days = [c.first_chargeable_day for c in self.file.claims]
        if not days or any(day is None or self.today < day for day in days):
            return
        self.move(
            FileState.FORMAL_NOTICE,
            reason="The 14-day period after the first reminder is over: the claims are "
            "chargeable and the formal notice is due (CEL art. XIX.2 and XIX.7 §1).",
        )

    def formal_notice(self) -> None:
        """Queue the notice, or start the waiting period once the letters batch produced it."""
        entered = self.file.entered_formal_notice_at
        current = [
            letter
            for letter in self.file.letters
            if letter.kind == StepKind.FORMAL_NOTICE
            and (
                letter.requested_at is None
                or (entered is not None and letter.requested_at >= entered)
            )
        ]
        if not current:
            self.queue_formal_notice()
            return
        notice = max(current, key=lambda letter: letter.cycle)
        if notice.status == LetterStatus.PRODUCED and notice.applied_on is None:
            self.start_waiting_period(notice)

    def queue_formal_notice(self) -> None:
        file = self.file
        step = self.strategy.formal_notice
        due_on = self.today
        ends = [c.grace_last_day for c in file.claims if c.grace_last_day is not None]
        if ends:
            due_on = max(due_on, _add_working_days(max(ends), step.delay_working_days))
        self.charge_indemnities()
        # The notice itemises the amounts claimed (CEL art. XIX.7 §2): book interest to date.
        self.book_interest_through = max(self.book_interest_through, self.today)
        self.queue(
            step,
            cycle=self.next_cycle(StepKind.FORMAL_NOTICE),
            due_on=due_on,
            channel=self.channel(step),
        )

    def start_waiting_period(self, notice: LetterRow) -> None:
        """The 14 days after the notice (CEL art. XIX.7 §3), counted as for the first reminder
        (legal.md section 3 policy): ``law.grace_period`` with the notice's channel."""
        assert notice.produced_on is not None
        last_day = _grace_period(notice.produced_on, notice.channel).last_day
        self.apply_letter(notice)
        self.file.formal_notice_sent_on = notice.produced_on
        self.file.waiting_period_last_day = last_day
        self.move(
            FileState.WAITING_PERIOD,
            reason=f"Formal notice sent on {notice.produced_on.isoformat()}; no further step "
            f"until {last_day.isoformat()} inclusive (CEL art. XIX.7 §3).",
            formal_notice_sent_on=notice.produced_on,
            waiting_period_last_day=last_day,
        )
        self.plan.counts["waiting_periods_started"] += 1

    def end_waiting_period(self) -> None:
        file = self.file
        last_day = file.waiting_period_last_day
        if last_day is None and file.formal_notice_sent_on is not None:
            # No end recorded: count it as for a paper notice, the later of the two.
            last_day = _grace_period(file.formal_notice_sent_on, StepChannel.PAPER).last_day
        if last_day is None or self.today <= last_day:
            return
        self.move(
            FileState.IN_COLLECTION,
            reason=f"The waiting period after the formal notice ended on {last_day.isoformat()} "
            "(CEL art. XIX.7 §3).",
        )

    def follow_ups(self) -> None:
        """The strategy's follow-up reminders of the current notice cycle, one after the other.

        A step is due its delay in working days after the end of the waiting period (the first
        one) or after the previous reminder was sent; it waits until the previous one is
        produced. A produced reminder's cost is charged (or refused) once.
        """
        file = self.file
        cycle = max((x.cycle for x in file.letters if x.kind == StepKind.FORMAL_NOTICE), default=0)
        since = file.waiting_period_last_day or file.formal_notice_sent_on
        if since is None:
            return
        sent = {
            x.step: x
            for x in file.letters
            if x.kind == StepKind.FOLLOW_UP_REMINDER and x.cycle == cycle
        }
        for step in self.strategy.follow_ups:
            letter = sent.get(step.position)
            if letter is None:
                if _add_working_days(since, step.delay_working_days) <= self.today:
                    self.queue(step, cycle=cycle, due_on=self.today, channel=self.channel(step))
                return
            if letter.status != LetterStatus.PRODUCED or letter.produced_on is None:
                return
            if letter.applied_on is None:
                self.apply_follow_up(letter)
            since = letter.produced_on

    def apply_follow_up(self, letter: LetterRow) -> None:
        """Charge the cost of a sent follow-up reminder, if the law and the contract allow it.

        CEL art. XIX.2: at most EUR 7.50 plus the postage in force on the day it was sent; the
        first reminder is free, and for a regular-supply contract so are the reminders for three
        missed due dates a calendar year. Policy: the cost is booked on the oldest claim, whose
        contract must provide it; the file counts as regular supply if any claim is.
        """
        self.apply_letter(letter)
        file = self.file
        # Whether it costs anything was decided when it was queued, with its strategy step.
        if not letter.charges_cost or not file.claims or letter.produced_on is None:
            return
        claim = file.claims[0]
        sent_on = letter.produced_on
        postage = self.context.postage.on(sent_on) if letter.channel == StepChannel.PAPER else ZERO
        cap = law.max_reminder_cost(postage)
        refusal = law.reminder_refusal(
            is_first_reminder=False,
            regular_supply=any(c.regular_supply for c in file.claims),
            earlier_reminders_this_year=self.reminders_before(letter),
        ) or law.refusal_for(
            kind=ChargeKind.REMINDER_COST,
            amount=cap,
            on=sent_on,
            first_chargeable_day=claim.first_chargeable_day,
            charging_allowed=rules_for(file.state).charging,
            has_clause=claim.reminder_cost_clause,
            cap=cap,
        )
        if refusal is not None:
            self.refuse(claim, ChargeKind.REMINDER_COST, cap, refusal)
            return
        self.charge(
            claim,
            component=Component.REMINDER_COST,
            amount=cap,
            value_date=sent_on,
            note=f"reminder cost, cap {cap} (7.50 + postage {postage})",
        )
        self.event(
            "reminder_cost_charged",
            data={"claim": claim.reference, "amount": str(cap), "cap": str(cap)},
            visible_to_debtor=True,
        )
        self.plan.counts["reminder_costs_charged"] += 1
        self.plan.amounts["reminder_cost"] += cap
        self.say(f"reminder cost {cap} on {claim.reference}")

    def reminders_before(self, letter: LetterRow) -> int:
        """Reminders sent for this file earlier in the calendar year of ``letter``.

        The first reminders (the creditor's or the agency's: the claims' sending days, one per
        day) and the follow-ups sent before. The formal notice is not counted: counting fewer
        keeps more reminders free, the safer reading for the consumer.
        """
        assert letter.produced_on is not None
        sent_on, year = letter.produced_on, letter.produced_on.year
        firsts = {
            c.first_reminder_sent_on
            for c in self.file.claims
            if c.first_reminder_sent_on is not None
            and c.first_reminder_sent_on.year == year
            and c.first_reminder_sent_on <= sent_on
        }
        follow_ups = sum(
            1
            for x in self.file.letters
            if x.kind == StepKind.FOLLOW_UP_REMINDER
            and x.produced_on is not None
            and x.produced_on.year == year
            and x is not letter
            and (x.produced_on, x.id or 0) < (sent_on, letter.id or 0)
        )
        return len(firsts) + follow_ups

    def payment_plan(self) -> None:
        """A running plan whose instalment stays unpaid past the tolerance is broken.

        The payments received since the plan was agreed pay the instalments in their order
        (as ``amicable.plans.selectors.plan_schedule`` reads them). Policy: an instalment still
        unpaid :data:`PLAN_TOLERANCE_DAYS` calendar days after its due date breaks the plan;
        the file goes back to collection (PAYMENT_PLAN -> IN_COLLECTION, which the lifecycle
        allows): the debtor already had the formal notice and its waiting period.
        """
        plan = self.file.plan
        if plan is None:
            return
        cumulative = ZERO
        for number, due_on, amount in plan.instalments:
            cumulative += amount
            if plan.received >= cumulative:
                continue
            if due_on + timedelta(days=PLAN_TOLERANCE_DAYS) >= self.today:
                return
            # The plans app marks it broken and tells the debtor (plans.services).
            self.plan.broken_plans.append(
                PlanBreak(
                    plan_id=plan.id,
                    instalment=number,
                    due_on=due_on,
                    amount=amount,
                    received=plan.received,
                )
            )
            self.move(FileState.IN_COLLECTION, reason=f"Payment plan {plan.id} broken.")
            self.plan.counts["plans_broken"] += 1
            return

    def charge_indemnities(self) -> None:
        """The lump-sum indemnity of each claim, once (CEL art. XIX.4).

        The amount decided at intake (``allowed_indemnity``), decided again on the principal
        still outstanding and limited by the cap on it (``law.decide_indemnity``,
        ``law.max_indemnity``), then checked by ``law.refusal_for``: a refusal is recorded on
        the timeline, never forced. A claim whose principal is paid gets none.
        """
        for claim in self.file.claims:
            if claim.indemnity_charged or claim.allowed_indemnity <= 0:
                continue
            outstanding = claim.principal_outstanding
            if outstanding <= 0:
                continue
            decision = law.decide_indemnity(
                balance=outstanding,
                clause=_indemnity_clause(claim),
                requested=claim.requested_indemnity,
                contract_date=claim.contract_date,
            )
            amount = min(decision.allowed, claim.allowed_indemnity)
            cap = law.max_indemnity(outstanding)
            refusal: Refusal | None
            if amount <= 0:
                reason = (
                    RefusalReason.ABOVE_CAP
                    if claim.indemnity_clause
                    else RefusalReason.NO_CONTRACT_CLAUSE
                )
                refusal = Refusal(
                    reason=reason, message=decision.explanation, article=decision.article
                )
            else:
                refusal = law.refusal_for(
                    kind=ChargeKind.INDEMNITY,
                    amount=amount,
                    on=self.today,
                    first_chargeable_day=claim.first_chargeable_day,
                    charging_allowed=rules_for(self.file.state).charging,
                    has_clause=claim.indemnity_clause,
                    cap=cap,
                )
            if refusal is not None:
                self.refuse(claim, ChargeKind.INDEMNITY, amount, refusal)
                continue
            explanation = decision.explanation
            if amount < decision.allowed:
                explanation += f" Limited to the {amount} decided when the claim was received."
            self.charge(
                claim,
                component=Component.INDEMNITY,
                amount=amount,
                value_date=self.today,
                note=f"{decision.rule}: {explanation}",
            )
            claim.indemnity_charged = True
            self.event(
                "indemnity_charged",
                message=explanation,
                data={
                    "claim": claim.reference,
                    "amount": str(amount),
                    "rule": decision.rule,
                    "article": decision.article,
                    "balance": str(outstanding),
                },
                visible_to_debtor=True,
            )
            self.plan.counts["indemnities_charged"] += 1
            self.plan.amounts["indemnity"] += amount
            self.say(f"indemnity {amount} on {claim.reference}")

    def book_interest(self) -> None:
        """Late interest not booked yet, through the cutoff (CEL art. XIX.4).

        Per claim, from the day after the last booked period (or the first chargeable day) to
        the cutoff, never past the day before interest stops (collective debt settlement) nor
        past the last published rate; ``accrued_interest`` splits the days by rate period.
        """
        file = self.file
        charging = rules_for(file.state).charging
        if not charging:
            return
        through = min(self.book_interest_through, self.context.rates_until)
        if file.interest_stops_on is not None:
            through = min(through, file.interest_stops_on - timedelta(days=1))
        booked: list[dict[str, str]] = []
        for claim in file.claims:
            first_day = claim.first_chargeable_day
            if not claim.interest_applies or first_day is None:
                continue
            start = first_day
            if claim.interest_booked_through is not None:
                start = max(start, claim.interest_booked_through + timedelta(days=1))
            if start > through or claim.principal_outstanding <= 0:
                continue
            amount = accrued_interest(
                claim.principal_outstanding,
                start,
                through,
                claim.applied_interest_rate,
                rates=self.context.rates,
            )
            refusal = law.refusal_for(
                kind=ChargeKind.INTEREST,
                amount=amount,
                on=through,
                first_chargeable_day=first_day,
                charging_allowed=charging,
                has_clause=claim.interest_applies,
                cap=None,
            )
            if refusal is not None:
                # 0.00 (a short period on a small amount) is not a refusal: the days stay
                # unbooked and are counted with the next period, truncated once.
                if refusal.reason != RefusalReason.NOT_POSITIVE:
                    self.refuse(claim, ChargeKind.INTEREST, amount, refusal)
                continue
            rate = (
                f"contractual rate {claim.applied_interest_rate}% capped per day"
                if claim.applied_interest_rate is not None
                else "civil legal rate"
            )
            self.charge(
                claim,
                component=Component.INTEREST,
                amount=amount,
                value_date=through,
                note=f"interest {start.isoformat()} to {through.isoformat()}, {rate}",
                period=(start, through),
            )
            claim.interest_booked_through = through
            booked.append(
                {
                    "claim": claim.reference,
                    "amount": str(amount),
                    "from": start.isoformat(),
                    "to": through.isoformat(),
                }
            )
            self.plan.counts["interest_entries"] += 1
            self.plan.amounts["interest"] += amount
        if booked:
            self.event("interest_booked", data={"claims": booked}, visible_to_debtor=True)
            total = sum((Decimal(b["amount"]) for b in booked), ZERO)
            self.say(f"interest {total} through {through.isoformat()}")

    # --- helpers -----------------------------------------------------------------------------

    def move(self, new_state: FileState, *, reason: str, **fields: Any) -> None:
        """A state change, checked against the lifecycle table and put on the timeline."""
        file = self.file
        old_state = file.state
        check_transition(old_state, new_state)
        change = self.plan.changes.setdefault(file.id, FileChange(file.id, old_state, {}))
        change.fields.update(fields, state=new_state.value)
        file.state = new_state
        if new_state == FileState.FORMAL_NOTICE:
            file.entered_formal_notice_at = _JUST_NOW
        self.event(
            "state_changed",
            message=reason,
            data={"from": old_state.value, "to": new_state.value},
            visible_to_debtor=True,
        )
        self.plan.counts["state_changes"] += 1
        self.plan.counts[f"to_{new_state.value}"] += 1
        self.say(f"{old_state.value} -> {new_state.value}")

    def channel(self, step: Step) -> str:
        if step.channel == StepChannel.AUTO:
            return StepChannel.ELECTRONIC if self.file.debtor_has_email else StepChannel.PAPER
        return step.channel.value

    def next_cycle(self, kind: StepKind) -> int:
        return 1 + max((x.cycle for x in self.file.letters if x.kind == kind), default=0)

    def queue(
        self,
        step: Step,
        *,
        cycle: int,
        due_on: date,
        channel: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        file = self.file
        self.plan.letters.append(
            NewLetter(
                file_id=file.id,
                kind=step.kind.value,
                cycle=cycle,
                step=step.position,
                channel=channel,
                due_on=due_on,
                charges_cost=step.charges_cost,
                data=data or {},
            )
        )
        file.letters.append(
            LetterRow(
                id=None,
                kind=step.kind,
                cycle=cycle,
                step=step.position,
                channel=channel,
                status=LetterStatus.PENDING,
                due_on=due_on,
                produced_on=None,
                applied_on=None,
                requested_at=None,
                charges_cost=step.charges_cost,
            )
        )
        self.event(
            "letter_queued",
            data={
                "kind": step.kind.value,
                "cycle": cycle,
                "step": step.position,
                "channel": channel,
                "due_on": due_on.isoformat(),
            },
        )
        self.plan.counts[f"queued_{step.kind.value}"] += 1
        self.say(f"queue {step.kind.value} ({channel}) due {due_on.isoformat()}")

    def apply_letter(self, letter: LetterRow) -> None:
        assert letter.id is not None
        letter.applied_on = self.today
        self.plan.applied_letter_ids.append(letter.id)

    def charge(
        self,
        claim: ClaimRow,
        *,
        component: Component,
        amount: Decimal,
        value_date: date,
        note: str,
        period: tuple[date, date] | None = None,
    ) -> None:
        start, end = period or (None, None)
        self.plan.entries.append(
            NewEntry(
                file_id=self.file.id,
                claim_id=claim.id,
                component=component.value,
                amount=amount,
                value_date=value_date,
                note=note[:300],
                period_start=start,
                period_end=end,
            )
        )

    def refuse(self, claim: ClaimRow, kind: ChargeKind, amount: Decimal, refusal: Refusal) -> None:
        self.event(
            "charge_refused",
            message=refusal.message,
            data={
                "claim": claim.reference,
                "charge": kind.value,
                "amount": str(amount),
                "reason": refusal.reason.value,
                "article": refusal.article,
            },
        )
        self.plan.counts["charges_refused"] += 1
        self.say(f"{kind.value} refused on {claim.reference}: {refusal.reason.value}")

    def event(
        self,
        kind: str,
        *,
        message: str = "",
        data: dict[str, Any] | None = None,
        visible_to_debtor: bool = False,
    ) -> None:
        self.plan.events.append(
            NewEvent(
                file_id=self.file.id,
                kind=kind,
                message=message[:500],
                data=data or {},
                visible_to_debtor=visible_to_debtor,
            )
        )

    def say(self, what: str) -> None:
        if self.plan.describe:
            self.plan.lines.append(f"{self.file.reference}: {what}")
