"""Load a batch of files for the daily run: a few set-based queries, whatever the batch size.

For about a thousand file ids this reads, in this order: the files themselves (locked on
PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so an agent working on one file never waits for
the run and the run never waits for an agent), their claims, the ledger summed per claim and
component in SQL, the principal paid per claim, their letter requests, and for the few files
that need it the state changes from the timeline. Never one query per file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Case, DateTimeField, F, Max, Q, QuerySet, Sum, When

from amicable.domain.allocation import Component
from amicable.domain.lifecycle import OPEN_STATES, SUSPENDING_STATES, FileState
from amicable.domain.money import CENT, ZERO
from amicable.files.ledger import PAYMENT_KINDS
from amicable.files.models import Allocation, Claim, EntryKind, Event, File, LedgerEntry
from amicable.plans.models import Instalment, PaymentPlan, PlanStatus
from amicable.workflow.models import LetterRequest, StepKind

__all__ = [
    "Batch",
    "ClaimRow",
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
class ClaimRow:
    id: int
    reference: str
    due_date: date
    principal: Decimal
    contract_date: date | None
    regular_supply: bool
    indemnity_clause: bool
    indemnity_percent: Decimal | None
    indemnity_minimum: Decimal | None
    indemnity_fixed: Decimal | None
    requested_indemnity: Decimal | None
    allowed_indemnity: Decimal
    interest_applies: bool
    applied_interest_rate: Decimal | None
    reminder_cost_clause: bool
    first_reminder_sent_on: date | None
    first_reminder_channel: str
    grace_last_day: date | None
    first_chargeable_day: date | None
    # From the ledger, as of the run date: principal charged minus principal paid.
    principal_outstanding: Decimal = ZERO
    indemnity_charged: bool = False
    interest_booked_through: date | None = None


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
    created_at: datetime | None  # read for FORMAL_NOTICE files only
    formal_notice_sent_on: date | None
    waiting_period_last_day: date | None
    suspended_until: date | None
    interest_stops_on: date | None
    # The whole ledger, whatever the value dates: <= 0 means every booked charge is paid.
    ledger_total: Decimal = ZERO
    has_principal: bool = False
    claims: list[ClaimRow] = field(default_factory=list)
    letters: list[LetterRow] = field(default_factory=list)
    # When the file last entered FORMAL_NOTICE (a notice requested before does not count).
    entered_formal_notice_at: datetime | None = None
    # The state a SUSPENDED file was in before its suspension, from the timeline.
    state_before_suspension: FileState | None = None
    # The running (agreed) payment plan of a PAYMENT_PLAN file.
    plan: PlanRow | None = None
    # The debtor asked for a plan outside the rules and an agent has not answered yet.
    plan_requested: bool = False


_FILE_COLUMNS = (
    "id",
    "reference",
    "state",
    "creditor_id",
    "debtor__email",
    "opened_on",
    "notice_created_at",
    "formal_notice_sent_on",
    "waiting_period_last_day",
    "suspended_until",
    "interest_stops_on",
)
_CLAIM_COLUMNS = (
    "id",
    "file_id",
    "creditor_reference",
    "due_date",
    "principal",
    "contract_date",
    "regular_supply",
    "indemnity_clause",
    "indemnity_percent",
    "indemnity_minimum",
    "indemnity_fixed",
    "requested_indemnity",
    "allowed_indemnity",
    "interest_applies",
    "applied_interest_rate",
    "reminder_cost_clause",
    "first_reminder_sent_on",
    "first_reminder_channel",
    "grace_last_day",
    "first_chargeable_day",
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
    files: dict[int, FileRow] = {}
    # Only the formal notice step compares times: other rows skip parsing them.
    files_query = files_query.annotate(
        notice_created_at=_only_for(Q(state=FileState.FORMAL_NOTICE), "created_at")
    )
    for row in files_query.values_list(*_FILE_COLUMNS):
        (
            file_id,
            reference,
            state,
            creditor_id,
            email,
            opened_on,
            created_at,
            notice_sent_on,
            waiting_last_day,
            suspended_until,
            interest_stops_on,
        ) = row
        files[file_id] = FileRow(
            id=file_id,
            reference=reference,
            state=FileState(state),
            creditor_id=creditor_id,
            debtor_has_email=bool(email),
            opened_on=opened_on,
            created_at=created_at,
            formal_notice_sent_on=notice_sent_on,
            waiting_period_last_day=waiting_last_day,
            suspended_until=suspended_until,
            interest_stops_on=interest_stops_on,
        )
    if not files:
        return []
    in_batch = batch.rows(run_date)

    claims: dict[int, ClaimRow] = {}
    for values in (
        Claim.objects.filter(in_batch).order_by("due_date", "id").values_list(*_CLAIM_COLUMNS)
    ):
        file = files.get(values[1])
        if file is None:
            continue
        claim = ClaimRow(values[0], *values[2:])  # the columns in the fields' order
        claims[claim.id] = claim
        file.claims.append(claim)

    _add_ledger_sums(files, claims, in_batch, run_date=run_date)
    _add_letters(files, in_batch)
    _add_state_history(files)
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


def _add_ledger_sums(
    files: dict[int, FileRow],
    claims: dict[int, ClaimRow],
    in_batch: Q,
    *,
    run_date: date,
) -> None:
    """Sums per file, claim, component and kind, computed by the database (two queries).

    The same reading as ``amicable.files.ledger.file_balance``: a charge is an entry with a
    claim and a component; what is paid on it comes from the allocations.
    """
    principal_charged: dict[int, Decimal] = defaultdict(lambda: ZERO)
    sums = (
        LedgerEntry.objects.filter(in_batch)
        .order_by()
        .values("file_id", "claim_id", "component", "kind")
        .annotate(
            total=Sum("amount"),
            as_of=Sum("amount", filter=Q(value_date__lte=run_date)),
            booked_through=Max("period_end"),
        )
    )
    for row in sums:
        file = files.get(row["file_id"])
        if file is None:
            continue
        file.ledger_total += row["total"]
        claim_id, component = row["claim_id"], row["component"]
        if claim_id is None or not component:
            continue
        if component == Component.PRINCIPAL:
            file.has_principal = True
            principal_charged[claim_id] += row["as_of"] or ZERO
        elif component == Component.INDEMNITY and row["kind"] == EntryKind.CHARGE:
            claims[claim_id].indemnity_charged = True
        elif component == Component.INTEREST and row["kind"] == EntryKind.CHARGE:
            claims[claim_id].interest_booked_through = row["booked_through"]
    paid = dict(
        Allocation.objects.filter(in_batch, component=Component.PRINCIPAL, value_date__lte=run_date)
        .order_by()
        .values("claim_id")
        .annotate(total=Sum("amount"))
        .values_list("claim_id", "total")
    )
    for claim_id, claim in claims.items():
        claim.principal_outstanding = principal_charged[claim_id] - (paid.get(claim_id) or ZERO)


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
    in_plan = [f.id for f in files.values() if f.state == FileState.PAYMENT_PLAN]
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


def _state_or_none(data: object) -> FileState | None:
    before = data.get("from") if isinstance(data, dict) else None
    if not isinstance(before, str):
        return None
    try:
        return FileState(before)
    except ValueError:
        return None


def _add_state_history(files: dict[int, FileRow]) -> None:
    """When FORMAL_NOTICE files entered that state, and what SUSPENDED files were before.

    Read from the timeline (``state_changed`` events), only for the files that need it.
    """
    notice = [f.id for f in files.values() if f.state == FileState.FORMAL_NOTICE]
    suspended = [f.id for f in files.values() if f.state == FileState.SUSPENDED]
    if not notice and not suspended:
        return
    wanted = Q(file_id__in=notice, data__to=FileState.FORMAL_NOTICE.value) | Q(
        file_id__in=suspended, data__to=FileState.SUSPENDED.value
    )
    history = (
        Event.objects.filter(wanted, kind="state_changed")
        .order_by("file_id", "at", "id")
        .values_list("file_id", "at", "data")
    )
    for file_id, at, data in history:
        file = files[file_id]
        if file.state == FileState.FORMAL_NOTICE:
            file.entered_formal_notice_at = at
        else:
            file.state_before_suspension = _state_or_none(data)
    for file in files.values():
        if file.state == FileState.FORMAL_NOTICE and file.entered_formal_notice_at is None:
            # Created in that state at intake: its notices are those requested since.
            file.entered_formal_notice_at = file.created_at
