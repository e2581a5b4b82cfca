"""What supervisors and compliance officers read: the dashboard, the audit trail, the contacts
the rules refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum

from amicable.backoffice.selectors import QueueSummary, queue_overview
from amicable.domain.lifecycle import OPEN_STATES, FileState
from amicable.files.ledger import PAYMENT_KINDS
from amicable.files.models import EntryKind, Event, File, LedgerEntry
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


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: date
    week_start: date
    month_start: date
    files_by_state: list[tuple[FileState, int]]
    collected: list[Collected]
    queues: list[QueueSummary]


def _collected(*, week_start: date, month_start: date, today: date) -> list[Collected]:
    """Money received per creditor (agency and creditor payments, net of returned payments).

    Payments are negative ledger entries and their reversals positive ones, so what was
    collected is minus their sum, grouped by creditor in one query.
    """
    start = min(week_start, month_start)
    rows = (
        LedgerEntry.objects.filter(value_date__gte=start, value_date__lte=today)
        .filter(
            Q(kind__in=PAYMENT_KINDS) | Q(kind=EntryKind.REVERSAL, reverses__kind__in=PAYMENT_KINDS)
        )
        .values("file__creditor__name")
        .annotate(
            week=Sum("amount", filter=Q(value_date__gte=week_start)),
            month=Sum("amount", filter=Q(value_date__gte=month_start)),
        )
        .order_by("file__creditor__name")
    )
    return [
        Collected(
            creditor=row["file__creditor__name"],
            this_week=-(row["week"] or Decimal("0.00")),
            this_month=-(row["month"] or Decimal("0.00")),
        )
        for row in rows
    ]


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
