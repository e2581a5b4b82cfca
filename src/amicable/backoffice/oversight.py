"""What supervisors and compliance officers read: the dashboard, the audit trail, the contacts
the rules refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from amicable.backoffice.selectors import QueueSummary, queue_overview
from amicable.domain.lifecycle import OPEN_STATES, FileState
from amicable.files.ledger import PAYMENT_KINDS
from amicable.files.models import Claim, EntryKind, Event, File, LedgerEntry
from amicable.files.numbers import (
    normalize_file_reference,
)
from amicable.letters import selectors as letters_selectors
from amicable.letters.models import ContactAttempt

__all__ = [
    "AUDIT_PAGE_SIZE",
    "AuditPage",
    "Collected",
    "Dashboard",
    "HandoverMonth",
    "dashboard",
    "list_audit_events",
    "list_refused_contacts",
]

AUDIT_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Collected:
    creditor: str
    this_week: Decimal
    this_month: Decimal
    #: The whole previous calendar month.
    last_month: Decimal = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class HandoverMonth:
    """The files handed over in one month, and how much of what they owed has come in."""

    month: date
    files: int
    handed_over: Decimal
    collected: Decimal

    @property
    def rate(self) -> Decimal | None:
        """Collected as a percentage of the principal handed over (one decimal)."""
        if self.handed_over <= 0:
            return None
        return (self.collected * 100 / self.handed_over).quantize(Decimal("0.1"))


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: date
    week_start: date
    month_start: date
    files_by_state: list[tuple[FileState, int]]
    collected: list[Collected]
    queues: list[QueueSummary]
    handovers: list[HandoverMonth] = field(default_factory=list)

    @property
    def last_month_start(self) -> date:
        return (self.month_start - timedelta(days=1)).replace(day=1)

    @property
    def collected_this_month(self) -> Decimal:
        return sum((c.this_month for c in self.collected), Decimal("0.00"))

    @property
    def collected_last_month(self) -> Decimal:
        return sum((c.last_month for c in self.collected), Decimal("0.00"))


def _collected(*, week_start: date, month_start: date, today: date) -> list[Collected]:
    """Money received per creditor (agency and creditor payments, net of returned payments).

    Payments are negative ledger entries and their reversals positive ones, so what was
    collected is minus their sum, grouped by creditor in one query.
    """
    last_month_start = (month_start - timedelta(days=1)).replace(day=1)
    start = min(week_start, last_month_start)
    rows = (
        LedgerEntry.objects.filter(value_date__gte=start, value_date__lte=today)
        .filter(
            Q(kind__in=PAYMENT_KINDS) | Q(kind=EntryKind.REVERSAL, reverses__kind__in=PAYMENT_KINDS)
        )
        .values("file__creditor__name")
        .annotate(
            week=Sum("amount", filter=Q(value_date__gte=week_start)),
            month=Sum("amount", filter=Q(value_date__gte=month_start)),
            last_month=Sum(
                "amount",
                filter=Q(value_date__gte=last_month_start, value_date__lt=month_start),
            ),
        )
        .order_by("file__creditor__name")
    )
    return [
        Collected(
            creditor=row["file__creditor__name"],
            this_week=-(row["week"] or Decimal("0.00")),
            this_month=-(row["month"] or Decimal("0.00")),
            last_month=-(row["last_month"] or Decimal("0.00")),
        )
        for row in rows
    ]


#: How many hand-over months the recovery chart shows, the current one included.
HANDOVER_MONTHS = 12


def _handovers(*, today: date) -> list[HandoverMonth]:
    """Per month of hand-over (``File.opened_on``) over the last twelve months: the files, the
    principal they were handed over with, and what their debtors have paid since (to the
    agency or to the creditor, net of returned payments), each in one grouped query."""
    first = today.replace(day=1)
    for _ in range(HANDOVER_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    claims = {
        row["month"]: row
        for row in Claim.objects.filter(file__opened_on__gte=first, file__opened_on__lte=today)
        .annotate(month=TruncMonth("file__opened_on"))
        .values("month")
        .annotate(files=Count("file", distinct=True), principal=Sum("principal"))
        .order_by()
    }
    paid = dict(
        LedgerEntry.objects.filter(file__opened_on__gte=first, file__opened_on__lte=today)
        .filter(
            Q(kind__in=PAYMENT_KINDS) | Q(kind=EntryKind.REVERSAL, reverses__kind__in=PAYMENT_KINDS)
        )
        .annotate(month=TruncMonth("file__opened_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("month", "total")
    )
    months = []
    for key in sorted(claims):
        row = claims[key]
        month = key.date() if isinstance(key, datetime) else key
        months.append(
            HandoverMonth(
                month=month,
                files=row["files"],
                handed_over=row["principal"] or Decimal("0.00"),
                collected=-(paid.get(key) or Decimal("0.00")),
            )
        )
    return months


def dashboard(*, today: date) -> Dashboard:
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    counts = dict(
        File.objects.filter(state__in=[s.value for s in OPEN_STATES])
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("state", "n")
    )
    return Dashboard(
        today=today,
        week_start=week_start,
        month_start=month_start,
        files_by_state=[
            (state, counts.get(state.value, 0)) for state in FileState if state in OPEN_STATES
        ],
        collected=_collected(week_start=week_start, month_start=month_start, today=today),
        queues=queue_overview(today=today),
        handovers=_handovers(today=today),
    )


@dataclass(frozen=True, slots=True)
class AuditPage:
    events: list[Event]
    next_before: int | None


def list_audit_events(
    *, actor: str = "", kind: str = "", file_reference: str = "", before: int | None = None
) -> AuditPage:
    """The audit trail: every timeline event and staff sign-in, newest first, in pages.

    Paged by id (keyset), so the millionth page costs what the first does.
    """
    events = Event.objects.select_related("file").order_by("-id")
    if actor:
        events = events.filter(actor=actor)
    if kind:
        events = events.filter(kind=kind)
    if file_reference:
        events = events.filter(file__reference=normalize_file_reference(file_reference))
    if before is not None:
        events = events.filter(id__lt=before)
    page = list(events[: AUDIT_PAGE_SIZE + 1])
    more = len(page) > AUDIT_PAGE_SIZE
    page = page[:AUDIT_PAGE_SIZE]
    return AuditPage(events=page, next_before=page[-1].pk if more else None)


def list_refused_contacts(*, before: int | None = None) -> list[ContactAttempt]:
    """The contacts the rules refused (docs/legal.md, section 4), newest first: calls, letters and
    e-mails alike, as the contact guard recorded them."""
    return letters_selectors.list_refused_contacts(before=before, limit=AUDIT_PAGE_SIZE)
