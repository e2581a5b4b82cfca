"""Reads of the back office, each built for one page, with the joins it needs done up front.

Staff see every file (their role, not the file, limits what they may do), but every object
reached from an address is still checked against the one it belongs to: a document is served
only under its own file's reference (``access_document_for_staff``), so a guessed document id
under another file is a 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Lower
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from amicable.backoffice.roles import Perm
from amicable.domain.lifecycle import OPEN_STATES, AgentAction, FileState, actions_allowed
from amicable.domain.references import classify_reference
from amicable.files.ledger import FileBalance, file_balance
from amicable.files.models import (
    Allocation,
    Claim,
    Document,
    EntryKind,
    Event,
    File,
    LedgerEntry,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.numbers import (
    file_number_from_structured_communication,
    normalize_file_reference,
)
from amicable.letters import selectors as letters_selectors
from amicable.letters.models import ContactAttempt, SentLetter
from amicable.letters.selectors import list_contact_attempts, list_sent_letters
from amicable.plans.models import PaymentPlan
from amicable.plans.selectors import get_open_plan
from amicable.portal.models import PhishingReport

__all__ = [
    "AuditPage",
    "Dashboard",
    "FileView",
    "QueueSummary",
    "SearchHit",
    "access_document_for_staff",
    "access_file_for_staff",
    "dashboard",
    "get_file_view",
    "get_work_item",
    "list_assignable_staff",
    "list_audit_events",
    "list_queue",
    "list_refused_contacts",
    "queue_overview",
    "search_files",
    "search_queries",
    "work_item_details",
]

_FILE_REFERENCE = re.compile(r"AM\d{8}")
QUEUE_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 100
SEARCH_LIMIT = 50
_PAYMENT_KINDS = (EntryKind.PAYMENT, EntryKind.CREDITOR_PAYMENT)


# --- queues -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueSummary:
    kind: WorkItemKind
    open_items: int
    overdue: int
    unassigned: int
    oldest_created_at: datetime | None
    earliest_due_on: date | None

    @property
    def label(self) -> str:
        return str(self.kind.label)

    def oldest_age_days(self, today: date) -> int | None:
        if self.oldest_created_at is None:
            return None
        return (today - self.oldest_created_at.date()).days


def queue_overview(*, today: date) -> list[QueueSummary]:
    """Every queue kind, with its open items counted in one grouped query."""
    rows: dict[str, dict[str, Any]] = {
        row["kind"]: dict(row)
        for row in WorkItem.objects.filter(status=WorkItemStatus.OPEN)
        .values("kind")
        .annotate(
            open_items=Count("id"),
            overdue=Count("id", filter=Q(due_on__lt=today)),
            unassigned=Count("id", filter=Q(owner__isnull=True)),
            oldest_created_at=Min("created_at"),
            earliest_due_on=Min("due_on"),
        )
        .order_by()
    }
    summaries = []
    for kind in WorkItemKind:
        row = rows.get(kind.value, {})
        summaries.append(
            QueueSummary(
                kind=kind,
                open_items=row.get("open_items", 0),
                overdue=row.get("overdue", 0),
                unassigned=row.get("unassigned", 0),
                oldest_created_at=row.get("oldest_created_at"),
                earliest_due_on=row.get("earliest_due_on"),
            )
        )
    return summaries


OWNER_FILTERS = ("all", "mine", "unassigned")


def list_queue(*, kind: WorkItemKind, owner_filter: str, user: User, page: int) -> Page[WorkItem]:
    """One page of a queue's open items, the ones due first on top."""
    items = (
        WorkItem.objects.filter(kind=kind, status=WorkItemStatus.OPEN)
        .select_related("file", "file__debtor", "document", "owner")
        .order_by("due_on", "id")
    )
    if owner_filter == "mine":
        items = items.filter(owner=user)
    elif owner_filter == "unassigned":
        items = items.filter(owner__isnull=True)
    return Paginator(items, QUEUE_PAGE_SIZE).get_page(page)


def get_work_item(item_id: int) -> WorkItem:
    item = (
        WorkItem.objects.select_related("file", "file__debtor", "document", "owner")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True, slots=True)
class WorkItemDetails:
    """What an item carries beyond its file: its data, and a phishing report's content."""

    facts: list[tuple[str, str]]
    phishing_report: PhishingReport | None
    # Where the item is decided when that is not the file page: the bank movement's page.
    decided_at: str | None


def work_item_details(item: WorkItem) -> WorkItemDetails:
    data = item.data if isinstance(item.data, dict) else {}
    report = None
    report_id = data.get("phishing_report_id")
    if item.kind == WorkItemKind.PHISHING_REPORT and isinstance(report_id, int):
        report = PhishingReport.objects.filter(pk=report_id).first()
    decided_at = None
    movement_id = data.get("movement")
    if item.kind == WorkItemKind.UNMATCHED_MOVEMENT and isinstance(movement_id, int):
        try:
            decided_at = reverse("payments:movement", args=[movement_id])
        except NoReverseMatch:
            decided_at = None
    facts = [(str(key).replace("_", " "), _fact(value)) for key, value in sorted(data.items())]
    return WorkItemDetails(facts=facts, phishing_report=report, decided_at=decided_at)


def _fact(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_fact(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_fact(v)}" for k, v in value.items())
    return "—" if value is None else str(value)


def list_assignable_staff() -> list[User]:
    """Active staff who may work on files: the colleagues an item can be given to."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename=Perm.WORK_FILES.value,
                groups__permissions__content_type__app_label="backoffice",
            )
            | Q(
                user_permissions__codename=Perm.WORK_FILES.value,
                user_permissions__content_type__app_label="backoffice",
            )
        )
        .distinct()
        .order_by("username")
    )


# --- files --------------------------------------------------------------------------------------


def access_file_for_staff(reference: str) -> File:
    """The file with this reference (as a person types it); 404 when there is none."""
    normalized = normalize_file_reference(reference)
    if _FILE_REFERENCE.fullmatch(normalized) is None:
        raise Http404
    file = File.objects.select_related("creditor", "debtor").filter(reference=normalized).first()
    if file is None:
        raise Http404
    return file


def access_document_for_staff(file: File, document_id: int) -> Document:
    """A document of ``file``; a document of any other file is a 404."""
    document = Document.objects.filter(file=file, pk=document_id).first()
    if document is None:
        raise Http404
    return document


@dataclass(frozen=True, slots=True)
class FileView:
    """Everything the file page shows (docs/journeys.md, "What the agency sees of it")."""

    file: File
    as_of: date
    claims: list[Claim]
    balance: FileBalance
    entries: list[LedgerEntry]
    allocations: list[Allocation]
    documents: list[Document]
    pending_proofs: list[Document]
    timeline: list[Event]
    open_items: list[WorkItem]
    contacts: list[ContactAttempt]
    letters: list[SentLetter]
    actions: frozenset[AgentAction]
    # What the debtor declared with each pending proof (paid to, amount, date), by document.
    declared: dict[int, dict[str, str]]
    open_plan: PaymentPlan | None

    @property
    def state(self) -> FileState:
        return self.file.file_state

    def balance_of(self, claim: Claim) -> object:
        return next(c for c in self.balance.claims if c.claim_id == claim.pk)


def get_file_view(file: File, *, as_of: date) -> FileView:
    documents = list(file.documents.order_by("-uploaded_at", "-id"))
    open_items = list(
        file.work_items.filter(status=WorkItemStatus.OPEN)
        .select_related("owner", "document")
        .order_by("due_on", "id")
    )
    return FileView(
        file=file,
        as_of=as_of,
        claims=list(file.claims.order_by("due_date", "id")),
        balance=file_balance(file, as_of=as_of),
        entries=list(file.ledger.select_related("claim", "reverses").order_by("value_date", "id")),
        allocations=list(
            file.allocations.select_related("claim", "entry").order_by("value_date", "id")
        ),
        documents=documents,
        pending_proofs=[d for d in documents if d.review_status == ReviewStatus.PENDING],
        timeline=list(file.events.order_by("at", "id")),
        open_items=open_items,
        contacts=list(list_contact_attempts(file)[:20]),
        letters=list(list_sent_letters(file)[:20]),
        actions=actions_allowed(file.file_state),
        declared={
            item.document_id: _declared_payment(item.data)
            for item in open_items
            if item.kind == WorkItemKind.PROOF_REVIEW and item.document_id is not None
        },
        open_plan=get_open_plan(file),
    )


def _declared_payment(data: object) -> dict[str, str]:
    """The review form's starting values: what the debtor said with the proof (portal)."""
    if not isinstance(data, dict):
        return {}
    declared = {
        "paid_to": data.get("paid_to"),
        "amount": data.get("amount"),
        "value_date": data.get("paid_on"),
    }
    return {key: str(value) for key, value in declared.items() if value}


# --- search -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchHit:
    file: File
    matched_on: str


def _as_iban(text: str) -> str | None:
    compact = "".join(text.split()).upper()
    if not (15 <= len(compact) <= 34 and compact[:2].isalpha()):
        return None
    try:
        return str(IBAN(compact).compact)
    except SchwiftyException:
        return None


def _files_paid_from(iban: str) -> QuerySet[File]:
    """Files of the debtors who paid from ``iban`` (the accounts the statement import learnt,
    ``payments.DebtorAccount``, looked up by its indexed IBAN)."""
    return File.objects.filter(debtor__bank_accounts__iban=iban)


def search_files(query: str) -> list[SearchHit]:
    """Files found by file number, structured communication (any printed form), IBAN, e-mail,
    creditor reference (of the file or of one of its invoices), or debtor name.

    Each exact form is looked up through a unique or indexed column or expression (the indexes
    of ``files.models``); the name search is a case-insensitive substring match.
    """
    hits: dict[int, SearchHit] = {}
    for matched_on, files in search_queries(query):
        for file in files:
            hits.setdefault(file.pk, SearchHit(file=file, matched_on=matched_on))
        if len(hits) >= SEARCH_LIMIT:
            break
    return list(hits.values())[:SEARCH_LIMIT]


def search_queries(query: str) -> list[tuple[str, QuerySet[File]]]:
    """The queries :func:`search_files` runs for ``query``, in order, each with what it matches
    on: apart so that a test can ask the database how it runs them (which index it uses)."""
    text = query.strip()
    if not text:
        return []
    lookups: list[tuple[str, QuerySet[File]]] = []
    reference = normalize_file_reference(text)
    if _FILE_REFERENCE.fullmatch(reference):
        lookups.append(("file number", File.objects.filter(reference=reference)))
    structured = classify_reference(text)
    if structured is not None and structured.kind == "ogm":
        # An instalment's communication names its file too (amicable.files.numbers).
        number, _ = file_number_from_structured_communication(structured.value)
        lookups.append(("structured communication", File.objects.filter(number=number)))
    iban = _as_iban(text)
    if iban is not None:
        lookups.append(("IBAN", _files_paid_from(iban)))
    if "@" in text:
        # lower(email) = lower(text): the expression of the index debtor_email_lower_idx
        # (``email__iexact`` would compare UPPER(...) on PostgreSQL, which no index holds).
        lookups.append(
            (
                "e-mail",
                File.objects.alias(debtor_email=Lower("debtor__email")).filter(
                    debtor_email=Lower(Value(text))
                ),
            )
        )
    lookups.append(("creditor reference", File.objects.filter(creditor_reference=text)))
    lookups.append(
        (
            "invoice reference",
            File.objects.filter(
                pk__in=Claim.objects.filter(creditor_reference=text).values("file_id")
            ),
        )
    )
    if len(text) >= 2 and not text.replace(" ", "").isdigit() and "@" not in text:
        lookups.append(("debtor name", File.objects.filter(debtor__name__icontains=text)))
    return [
        (
            matched_on,
            files.select_related("creditor", "debtor").order_by("-opened_on", "-id")[:SEARCH_LIMIT],
        )
        for matched_on, files in lookups
    ]


# --- dashboard ----------------------------------------------------------------------------------


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
            Q(kind__in=_PAYMENT_KINDS)
            | Q(kind=EntryKind.REVERSAL, reverses__kind__in=_PAYMENT_KINDS)
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


# --- compliance ---------------------------------------------------------------------------------


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
