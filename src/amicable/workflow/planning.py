"""What the daily run does to each file of a batch, decided in memory from the loaded rows.

The planner writes nothing: it turns :class:`~amicable.workflow.batch.FileRow` values into a
:class:`BatchPlan` (state moves, claim updates, the ledger's writes, events, letters), which the
run then writes with a handful of bulk statements through the one writer of each table, or only
prints in a dry run. Every decision is the one every other path takes: the charges from the
ledger on the file's book (:mod:`amicable.files.ledger.charges`, with the rules of
:mod:`amicable.domain.charges`), where a hold resumes from :mod:`amicable.domain.resumption`,
when a file is settled from :mod:`amicable.domain.settlement`, the allowed moves from
``lifecycle``, working days from ``calendar``; this module only says in which order the steps
of a file are taken:

1. a suspension whose end date has passed ends (SUSPENDED -> the state the file resumes in);
   nothing else ever happens to a suspended or frozen file (dispute, debt mediation, collective
   debt settlement: CEL art. XIX.7 §3, Book XIX Title 3, Judicial Code art. 1675/7);
2. a file whose debt is settled, interest to the day included, is closed (PAID; old Civil
   Code art. 1234);
3. the free first reminder is queued for the claims without one; once it has left (its claims
   dated by the letters app at dispatch), the 14-day period runs (CEL art. XIX.2):
   FIRST_REMINDER_PENDING -> GRACE_PERIOD;
4. when every claim's period is over: GRACE_PERIOD -> FORMAL_NOTICE, the indemnity is charged
   once per claim and the formal notice queued (art. XIX.4, XIX.7 §1);
5. the notice dispatched (never merely queued or printed): its 14-day waiting period starts
   (art. XIX.7 §3), WAITING_PERIOD; once over: IN_COLLECTION;
6. a payment plan with an instalment unpaid past :data:`PLAN_TOLERANCE_DAYS` is broken:
   PAYMENT_PLAN -> IN_COLLECTION;
7. the strategy's follow-up reminders, with their cost where the law allows it (art. XIX.2);
8. interest is brought to what is owed through the last working day of each month (see
   :func:`interest_cutoff`), except while the file's formal notice stands refused: nothing is
   charged on a file whose legally required letter could not be sent (an agent is on it).
   Where that takes back interest a payment had paid (rare: a payment re-imputed to the claim
   as of an earlier day), the ledger reads that file's allocations to release it, the one
   query of the planner, for that file alone.
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
from amicable.domain.calendar import add_working_days, is_working_day
from amicable.domain.imputation import Component
from amicable.domain.interest import RateTable
from amicable.domain.law import ChargeKind
from amicable.domain.lifecycle import FileState, check_transition
from amicable.domain.money import ZERO
from amicable.domain.prescription import GENERAL_PERIOD_MONTHS, is_time_barred
from amicable.domain.resumption import HOLD_STATES, ClaimStage, resume_state
from amicable.files.ledger import (
    Charged,
    LedgerWrites,
    bring_interest,
    charge_indemnities,
    charge_reminder_cost,
)
from amicable.files.lifecycle import StateChange, state_changed_event
from amicable.files.models import EntrySource
from amicable.files.timeline import EventKind
from amicable.plans.services import PlanBreak
from amicable.workflow.batch import FileRow, LetterRow
from amicable.workflow.models import LetterStatus, StepChannel, StepKind
from amicable.workflow.reminders import follow_up_cost
from amicable.workflow.selectors import PostageTable, Step, StrategyBook

__all__ = [
    "ACTOR",
    "PLAN_TOLERANCE_DAYS",
    "BatchPlan",
    "NewLetter",
    "RunContext",
    "TimeBarred",
    "interest_cutoff",
    "last_working_day_of_month",
    "plan_batch",
]

#: Who the run is, on the timeline and in the ledger (docs/architecture.md, invariant 4).
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
    brings the interest to its value date anyway (``amicable.files.ledger.post_payments``).

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
    interest_through: date


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


@dataclass(frozen=True, slots=True)
class TimeBarred:
    """Claims of one file found time-barred by this run (docs/legal.md, section 8)."""

    file_id: int
    reference: str
    claim_ids: tuple[int, ...]
    claim_references: tuple[str, ...]


@dataclass(slots=True)
class BatchPlan:
    """Everything a batch writes, or, in a dry run, describes."""

    moves: list[StateChange] = field(default_factory=list)
    # The ledger's writes; its list of events is the batch's one stream of events, in order.
    money: LedgerWrites = field(default_factory=LedgerWrites)
    letters: list[NewLetter] = field(default_factory=list)
    applied_letter_ids: list[int] = field(default_factory=list)
    # Written by plans.services.mark_plans_broken, with their events.
    broken_plans: list[PlanBreak] = field(default_factory=list)
    # Written by files.prescription.stop_collecting, with the agents' work items.
    time_barred: list[TimeBarred] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    amounts: defaultdict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    describe: bool = False  # keep a line per action (dry runs, verbose runs)
    lines: list[str] = field(default_factory=list)


def plan_batch(
    context: RunContext, files: Iterable[FileRow], *, describe: bool = False
) -> BatchPlan:
    """The plan of one batch; each file is decided on its own rows only."""
    plan = BatchPlan(describe=describe)
    for file in files:
        _FilePlanner(context, plan, file).run()
    plan.counts["events"] += len(plan.money.events) + len(plan.broken_plans)
    plan.counts["ledger_entries"] += len(plan.money.entries)
    plan.counts["letters_queued"] += len(plan.letters)
    return plan


_CHARGE_COUNTS = {
    ChargeKind.INDEMNITY: "indemnities_charged",
    ChargeKind.INTEREST: "interest_entries",
    ChargeKind.REMINDER_COST: "reminder_costs_charged",
}


class _FilePlanner:
    """The steps of one file, in the order of the module docstring."""

    def __init__(
        self,
        context: RunContext,
        plan: BatchPlan,
        file: FileRow,
    ) -> None:
        self.context = context
        self.today = context.run_date
        self.plan = plan
        self.file = file
        self.book = file.book
        self.strategy = context.strategies.for_creditor(file.creditor_id)
        self.book_interest_through = context.interest_through

    # --- the steps ---------------------------------------------------------------------------

    def run(self) -> None:
        file = self.file
        self.plan.counts["files"] += 1
        if file.state == FileState.SUSPENDED:
            self.end_suspension()
        if file.state in HOLD_STATES:
            return
        if self.close_if_paid():
            return
        if self.stop_time_barred():
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
        if self.notice_refused():
            # The formal notice could not be sent (a rule refused it, an agent has the item):
            # nothing is charged meanwhile; the interest owed is counted when it is sent.
            self.plan.counts["held_for_refused_notice"] += 1
            return
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
        """Where a suspended file resumes: :func:`amicable.domain.resumption.resume_state`, the
        rule every path that lifts a hold follows."""
        return resume_state(
            hold=self.file.state,
            before=self.file.state_before_hold,
            claims=[
                ClaimStage(
                    first_reminder_sent=c.first_reminder_sent_on is not None,
                    first_chargeable_day=c.first_chargeable_day,
                )
                for c in self.file.claims
            ],
            plan_running=self.file.plan is not None,
            today=self.today,
        )

    def close_if_paid(self) -> bool:
        """The debt is settled, interest to the day included: it is extinguished (old Civil
        Code art. 1234; :meth:`amicable.files.ledger.Book.is_settled`)."""
        if not self.book.is_settled(on=self.today, rates=self.context.rates):
            return False
        self.move(
            FileState.PAID,
            reason="Paid in full.",
            on=self.today,
        )
        self.plan.counts["files_paid"] += 1
        return True

    def stop_time_barred(self) -> bool:
        """A claim that reaches the end of its prescription period is no longer collected
        (docs/legal.md, section 8; old Civil Code art. 2262bis, 2272 al. 2, 2277 al. 2): the
        file is held for an agent, so that nothing is charged and no letter claims it, and a
        work item says which claims. The agent writes the claim off, or records the
        acknowledgement that interrupted the period, and lifts the hold."""
        book = self.book
        barred = [
            claim
            for claim in self.file.claims
            if (
                claim.time_barred_on is None
                and is_time_barred(
                    due_date=claim.due_date,
                    period_months=claim.prescription_months or GENERAL_PERIOD_MONTHS,
                    interruptions=(claim.prescription_interrupted_on,),
                    on=self.today,
                )
            )
            # Found before, and the hold lifted while it still carries its principal: the
            # agent neither wrote it off nor recorded an interruption. Held again.
            or (
                claim.time_barred_on is not None
                and book.charged[claim.pk][Component.PRINCIPAL]
                > book.paid[claim.pk][Component.PRINCIPAL]
            )
        ]
        if not barred:
            return False
        for claim in barred:
            claim.time_barred_on = claim.time_barred_on or self.today
        references = [claim.creditor_reference for claim in barred]
        self.plan.time_barred.append(
            TimeBarred(
                file_id=self.file.id,
                reference=self.file.reference,
                claim_ids=tuple(claim.pk for claim in barred),
                claim_references=tuple(references),
            )
        )
        self.move(
            FileState.SUSPENDED,
            reason=f"Time-barred: {', '.join(references)} (docs/legal.md, section 8); held "
            "for an agent.",
            suspension_reason="Claim time-barred: agent review",
            suspended_since=self.today,
            suspended_until=None,
        )
        self.plan.counts["claims_time_barred"] += len(barred)
        return True

    def send_first_reminders(self) -> None:
        """The agency's free first reminder for the claims without one (CEL art. XIX.2, XIX.6).

        Queuing it starts nothing: its claims get their sending day, and the 14-day period its
        start, only when the letter leaves (the post batch's date, the day the e-mail server
        accepted it: ``amicable.letters.dispatch``; docs/legal.md, section 1), and the file
        moves to GRACE_PERIOD then (``amicable.workflow.letter_queue``); the run makes the move
        itself for a file whose claims were all dated otherwise (a hold lifted, say).
        """
        file = self.file
        if not file.claims:
            return
        missing = [c for c in file.claims if c.first_reminder_sent_on is None]
        step = self.strategy.first_reminder
        firsts = [x for x in file.letters if x.kind == StepKind.FIRST_REMINDER]
        # Not while one is on its way (its claims get their day when it leaves), nor after
        # the letters batch refused the last one: an agent corrects the file and queues it
        # again, since queuing another every day would only repeat the refusal.
        waiting = any(x.status == LetterStatus.PENDING for x in firsts) or (
            bool(firsts) and firsts[-1].status == LetterStatus.REFUSED
        )
        due = _add_working_days(file.opened_on, step.delay_working_days) <= self.today
        if missing and due and not waiting:
            self.queue(
                step,
                cycle=self.next_cycle(StepKind.FIRST_REMINDER),
                due_on=self.today,
                channel=self.channel(step),
                data={"claims": [c.creditor_reference for c in missing]},
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

    def current_notices(self) -> list[LetterRow]:
        """The formal notices asked for since the file entered its state (a notice requested
        before an earlier hold is not the current one)."""
        entered = self.file.state_since
        return [
            letter
            for letter in self.file.letters
            if letter.kind == StepKind.FORMAL_NOTICE
            and (
                letter.requested_at is None
                or (entered is not None and letter.requested_at >= entered)
            )
        ]

    def formal_notice(self) -> None:
        """Queue the notice, or start the waiting period once the letters batch produced it."""
        current = self.current_notices()
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
        (docs/legal.md, section 3 policy): ``law.grace_period`` with the notice's channel."""
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
        """Charge the cost of a sent follow-up reminder, if the law and the contract allow it
        (:func:`amicable.workflow.reminders.follow_up_cost`, CEL art. XIX.2); booked on the
        oldest claim."""
        self.apply_letter(letter)
        file = self.file
        # Whether it costs anything was decided when it was queued, with its strategy step.
        if not letter.charges_cost or not file.claims or letter.produced_on is None:
            return
        assert letter.id is not None
        cost = follow_up_cost(
            claims=file.claims,
            letters=file.letters,
            this=(letter.produced_on, letter.id),
            channel=letter.channel,
            postage=self.context.postage,
            charging_allowed=self.book.charging_allowed,
        )
        self.counted(
            [
                charge_reminder_cost(
                    self.book,
                    self.plan.money,
                    claim=file.claims[0],
                    cost=cost,
                    sent_on=letter.produced_on,
                    actor=ACTOR,
                    source=EntrySource.DAILY_RUN,
                    record_refusals=True,
                )
            ]
        )

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
        """The lump-sum indemnity of each claim, once, within the file's cap (CEL art. XIX.4):
        decided and booked by the ledger; a refusal is on the timeline, never forced."""
        self.counted(
            charge_indemnities(
                self.book,
                self.plan.money,
                on=self.today,
                actor=ACTOR,
                source=EntrySource.DAILY_RUN,
                record_refusals=True,
            )
        )

    def book_interest(self) -> None:
        """Interest brought to what each claim owes through the cutoff (CEL art. XIX.4): the
        ledger counts it day by day on the principal due each day, never past the day before a
        collective settlement's admissibility nor past the last published rate."""
        if not self.book.charging_allowed:
            return
        self.counted(
            bring_interest(
                self.book,
                self.plan.money,
                through=self.book_interest_through,
                on=self.today,
                actor=ACTOR,
                source=EntrySource.DAILY_RUN,
                rates=self.context.rates,
                record_refusals=True,
                new_days_only=True,
            )
        )

    def notice_refused(self) -> bool:
        """Whether the file's current formal notice was refused by the letters batch."""
        if self.file.state not in (FileState.FORMAL_NOTICE, FileState.WAITING_PERIOD):
            return False
        notices = self.current_notices()
        return bool(notices) and max(notices, key=lambda x: x.cycle).status == LetterStatus.REFUSED

    def counted(self, results: list[Charged]) -> None:
        """Count what the ledger charged or refused, and describe it (dry runs)."""
        references = (
            {claim.pk: claim.creditor_reference for claim in self.file.claims}
            if self.plan.describe
            else {}
        )
        interest = ZERO
        interest_to: date | None = None
        for result in results:
            if result.entry is None:
                if result.refusal is not None and result.refusal.reason != "not_positive":
                    self.plan.counts["charges_refused"] += 1
                    self.say(
                        f"{result.kind.value} refused on {references.get(result.claim_id)}: "
                        f"{result.refusal.reason.value}"
                    )
                continue
            self.plan.counts[_CHARGE_COUNTS[result.kind]] += 1
            self.plan.amounts[result.kind.value] += result.amount
            if result.kind is ChargeKind.INTEREST:
                interest += result.amount
                # Through the last day charged (interest taken back is dated today).
                booked_to = result.entry.period_end
                if booked_to is not None:
                    interest_to = max(interest_to or booked_to, booked_to)
            else:
                words = result.kind.value.replace("_", " ")
                self.say(f"{words} {result.amount} on {references.get(result.claim_id)}")
        if interest_to is not None:
            self.say(f"interest {interest} through {interest_to.isoformat()}")

    def move(
        self, new_state: FileState, *, reason: str, on: date | None = None, **fields: Any
    ) -> None:
        """A state change, checked by the lifecycle writer when written, on the timeline."""
        file = self.file
        old_state = file.state
        change = StateChange(
            file_id=file.id,
            old=old_state,
            new=new_state,
            reason=reason,
            on=on,
            remembered=file.state_before_hold,
            fields=tuple(sorted(fields.items())),
        )
        check_transition(old_state, new_state)
        self.plan.moves.append(change)
        self.plan.money.events.append(state_changed_event(change, actor=ACTOR))
        file.state = new_state
        self.book.file.state = new_state
        for name, value in fields.items():
            if name in FileRow.__dataclass_fields__:
                setattr(file, name, value)
        if new_state == FileState.FORMAL_NOTICE:
            file.state_since = _JUST_NOW
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
            EventKind.LETTER_QUEUED,
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

    def event(
        self,
        kind: EventKind,
        *,
        message: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        self.plan.money.event(self.file.id, kind, actor=ACTOR, message=message, data=data)

    def say(self, what: str) -> None:
        if self.plan.describe:
            self.plan.lines.append(f"{self.file.reference}: {what}")
