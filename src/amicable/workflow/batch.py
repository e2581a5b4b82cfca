"""Load a batch of files for the daily run: a few set-based queries, whatever the batch size.

For about a thousand file ids this reads, in this order: the files themselves (locked on
PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so an agent working on one file never waits for
the run and the run never waits for an agent), their books (claims and ledger, read by the
ledger itself: :func:`amicable.files.ledger.read_books`, the same reading as every other path),
their letter requests and, for the few files that need them, their payment plans. Never one
query per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)

from amicable.domain.lifecycle import OPEN_STATES, SUSPENDING_STATES, FileState
from amicable.domain.money import CENT, ZERO
from amicable.files.ledger import PAYMENT_KINDS, Book, ClaimTerms, FileTerms, read_books
from amicable.files.models import Debtor, EntryKind, File, LedgerEntry
from amicable.plans.models import Instalment, PaymentPlan, PlanStatus
from amicable.workflow.models import LetterRequest, StepKind

__all__ = [
    "Batch",
    "FileRow",
    "LetterRow",
    "PlanRow",
    "load_batch",
    "scan_filter",
]

#: States the run looks at every day. The suspending states are left out (nothing happens to
#: a suspended or frozen file), except a suspension whose end date has passed.
ACTIVE_STATES: frozenset[FileState] = OPEN_STATES - SUSPENDING_STATES


def scan_filter(run_date: date) -> Q:
    """The files the run of ``run_date`` visits."""
    return Q(state__in=sorted(ACTIVE_STATES)) | Q(
        state=FileState.SUSPENDED, suspended_until__lt=run_date
    )


@dataclass(frozen=True, slots=True)
class Batch:
    """The files of one batch: the visited ids in ``(after, through]``, or exactly ``ids``.

    A range keeps every query of the batch to a couple of parameters (the claims, the ledger
    and the letters are read with a subquery on the files, not with a list of a thousand
    ids); an explicit list serves the second chance given to the few files held by others.
    """

    after: int = 0
    through: int = 0
    ids: tuple[int, ...] | None = None

    def files(self, run_date: date) -> QuerySet[File]:
        visited = File.objects.filter(scan_filter(run_date))
        if self.ids is not None:
            return visited.filter(pk__in=self.ids)
        return visited.filter(pk__gt=self.after, pk__lte=self.through)

    def rows(self, run_date: date) -> Q:
        """The rows of another table (with a ``file_id``) that belong to the batch's files.

        The id range comes first, so that the database reads the file index of that table
        over the range only; the subquery then leaves out the files the run does not visit.
        """
        if self.ids is not None:
            return Q(file_id__in=self.ids)
        in_range = Q(file_id__gt=self.after, file_id__lte=self.through)
        return in_range & Q(file_id__in=self.files(run_date).values("pk"))


@dataclass(slots=True)
class LetterRow:
    id: int | None  # None: queued by this run, not written yet
    kind: str  # a StepKind value
    cycle: int
    step: int
    channel: str
    status: str  # a LetterStatus value
    due_on: date
    produced_on: date | None
    applied_on: date | None
    requested_at: datetime | None  # formal notices only; None when queued by this run
    charges_cost: bool = False


@dataclass(slots=True)
class PlanRow:
    """The running payment plan of a file: its instalments and what was paid since agreed."""

    id: int
    agreed_on: date
    instalments: list[tuple[int, date, Decimal]]  # number, due on, amount; in order
    received: Decimal = ZERO


@dataclass(slots=True)
class FileRow:
    id: int
    reference: str
    state: FileState
    creditor_id: int
    debtor_has_email: bool
    opened_on: date
    state_since: datetime | None  # when the file entered its state
    state_before_hold: FileState | None  # where a held file resumes from
    formal_notice_sent_on: date | None
    waiting_period_last_day: date | None
    suspended_until: date | None
    book: Book
    letters: list[LetterRow] = field(default_factory=list)
    # The running (agreed) payment plan of a PAYMENT_PLAN file, or of a held file that was
    # in one.
    plan: PlanRow | None = None
    # The debtor asked for a plan outside the rules and an agent has not answered yet.
    plan_requested: bool = False

    @property
    def claims(self) -> list[ClaimTerms]:
        return self.book.claims


_FILE_COLUMNS = (
    "id",
    "reference",
    "state",
    "creditor_id",
    "debtor_has_email",
    "opened_on",
    "notice_state_since",
    "state_before_hold",
    "formal_notice_sent_on",
    "waiting_period_last_day",
    "suspended_until",
    "interest_stops_on",
)
_LETTER_COLUMNS = (
    "id",
    "file_id",
    "kind",
    "cycle",
    "step",
    "channel",
    "status",
    "due_on",
    "produced_on",
    "applied_on",
    "notice_requested_at",
    "charges_cost",
)


def _only_for(condition: Q, column: str) -> Case:
    """``column`` where ``condition`` holds, else NULL."""
    return Case(When(condition, then=F(column)), default=None, output_field=DateTimeField())


#: Whether the file's debtor has an e-mail address, looked up for each file through the
#: debtors' key (a scalar subquery, which the planner never turns into a hash of the whole
#: table): a join, or EXISTS, let it read every debtor for each batch of a thousand files
#: while the debtors number less than a few hundred thousand (bench/README.md).
_has_email: Final = Subquery(
    Debtor.objects.filter(pk=OuterRef("debtor_id")).values(
        has=ExpressionWrapper(~Q(email=""), output_field=BooleanField())
    )[:1]
)


def load_batch(batch: Batch, *, run_date: date, lock: bool) -> list[FileRow]:
    """The files of ``batch`` still to visit on ``run_date``, with everything the run decides on.

    With ``lock`` (inside the batch's transaction) the file rows are locked; on PostgreSQL a
    file another transaction holds is skipped, and missing from the result (its claims and
    ledger rows, read through the subquery, are then ignored).
    """
    batch_files = batch.files(run_date)
    files_query = batch_files.order_by("pk")
    if lock and connection.features.has_select_for_update_skip_locked:
        files_query = files_query.select_for_update(skip_locked=True, of=("self",))
    # Only the formal notice step compares times: other rows skip parsing them.
    files_query = files_query.annotate(
        notice_state_since=_only_for(Q(state=FileState.FORMAL_NOTICE), "state_since"),
        debtor_has_email=_has_email,
    )
    rows = list(files_query.values_list(*_FILE_COLUMNS))
    if not rows:
        return []
    terms = [
        FileTerms(pk=row[0], state=FileState(row[2]), interest_stops_on=row[11]) for row in rows
    ]
    books = read_books(terms, rows=batch.rows(run_date))
    files: dict[int, FileRow] = {}
    for (
        file_id,
        reference,
        state,
        creditor_id,
        has_email,
        opened_on,
        state_since,
        before_hold,
        notice_sent_on,
        waiting_last_day,
        suspended_until,
        _stops_on,
    ) in rows:
        files[file_id] = FileRow(
            id=file_id,
            reference=reference,
            state=FileState(state),
            creditor_id=creditor_id,
            debtor_has_email=has_email,
            opened_on=opened_on,
            state_since=state_since,
            state_before_hold=FileState(before_hold) if before_hold else None,
            formal_notice_sent_on=notice_sent_on,
            waiting_period_last_day=waiting_last_day,
            suspended_until=suspended_until,
            book=books[file_id],
        )
    _add_letters(files, batch.rows(run_date))
    _add_plans(files)
    _add_plan_requests(files)
    return list(files.values())


def _add_plan_requests(files: dict[int, FileRow]) -> None:
    """Mark the files whose debtor's plan request waits for an agent (one query)."""
    waiting = PaymentPlan.objects.filter(
        file_id__any_of=list(files), status=PlanStatus.REQUESTED
    ).values_list("file_id", flat=True)
    for file_id in waiting:
        files[file_id].plan_requested = True


def _add_letters(files: dict[int, FileRow], in_batch: Q) -> None:
    letters = (
        LetterRequest.objects.filter(in_batch)
        .annotate(notice_requested_at=_only_for(Q(kind=StepKind.FORMAL_NOTICE), "requested_at"))
        .order_by("id")
        .values_list(*_LETTER_COLUMNS)
    )
    for letter_id, file_id, *values in letters:
        file = files.get(file_id)
        if file is not None:
            file.letters.append(LetterRow(letter_id, *values))  # the fields' order


def _add_plans(files: dict[int, FileRow]) -> None:
    """The running plans of the batch's PAYMENT_PLAN files, in three queries.

    What was received counts as ``amicable.plans.selectors.received_since`` counts it: the
    payments to the agency or the creditor from the day the plan was agreed, net of payments
    the bank returned; here summed by the database for all the files at once.
    """
    in_plan = [
        f.id
        for f in files.values()
        if f.state == FileState.PAYMENT_PLAN
        or (f.state == FileState.SUSPENDED and f.state_before_hold == FileState.PAYMENT_PLAN)
    ]
    if not in_plan:
        return
    plans: dict[int, PlanRow] = {}
    running = PaymentPlan.objects.filter(
        file_id__in=in_plan, status=PlanStatus.ACTIVE, agreed_on__isnull=False
    ).values_list("id", "file_id", "agreed_on")
    for plan_id, file_id, agreed_on in running:
        if agreed_on is not None:  # always, by the filter
            plans[plan_id] = PlanRow(id=plan_id, agreed_on=agreed_on, instalments=[])
            files[file_id].plan = plans[plan_id]
    if not plans:
        return
    instalments = (
        Instalment.objects.filter(plan_id__in=list(plans))
        .order_by("plan_id", "number")
        .values_list("plan_id", "number", "due_on", "amount")
    )
    for plan_id, number, due_on, amount in instalments:
        plans[plan_id].instalments.append((number, due_on, amount))
    payments = Q(kind__in=PAYMENT_KINDS) | Q(
        kind=EntryKind.REVERSAL, reverses__kind__in=PAYMENT_KINDS
    )
    received = (
        LedgerEntry.objects.filter(
            payments,
            file_id__in=[file_id for file_id in in_plan if files[file_id].plan is not None],
            file__payment_plans__status=PlanStatus.ACTIVE,
            value_date__gte=F("file__payment_plans__agreed_on"),
        )
        .order_by()
        .values("file_id")
        .annotate(total=Sum("amount"))
        .values_list("file_id", "total")
    )
    for file_id, total in received:
        running_plan = files[file_id].plan
        if running_plan is not None:
            # Payments are negative in the ledger (they lower what is owed); the sum is
            # brought back to cents, as SQLite adds decimals in floating point.
            running_plan.received = -(total or ZERO).quantize(CENT)
