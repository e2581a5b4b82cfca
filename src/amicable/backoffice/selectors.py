"""Reads of the back office's queues and file pages, each built for one page, with the joins it
needs done up front (search: ``backoffice.search``; dashboard and audit: ``backoffice.oversight``).

Staff see every file (their role, not the file, limits what they may do), but every object
reached from an address is still checked against the one it belongs to: a document is served
only under its own file's reference (``access_document_for_staff``), so a guessed document id
under another file is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from amicable.backoffice.presenters import eur
from amicable.disputes.models import Dispute
from amicable.domain.lifecycle import AgentAction, FileState, actions_allowed
from amicable.files.ledger import FileBalance, file_balance
from amicable.files.models import (
    Allocation,
    Claim,
    Document,
    DocumentKind,
    Event,
    File,
    LedgerEntry,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.numbers import is_file_reference, normalize_file_reference
from amicable.letters.models import ContactAttempt, SentLetter
from amicable.letters.selectors import list_contact_attempts, list_sent_letters
from amicable.phishing.models import PhishingReport
from amicable.plans.models import PaymentPlan
from amicable.plans.selectors import get_open_plan
from amicable.proofs.queue import declared_proofs

__all__ = [
    "FileView",
    "QueueSummary",
    "access_document_for_staff",
    "access_file_for_staff",
    "get_file_view",
    "get_work_item",
    "list_queue",
    "queue_overview",
    "work_item_details",
]

QUEUE_PAGE_SIZE = 50


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
    """What an item carries beyond its file, in the staff member's words: the debtor's own
    words and documents for a dispute, what was declared or asked for, a phishing report's
    content. Stored codes and record ids are never shown as such."""

    facts: list[tuple[str, str]]
    phishing_report: PhishingReport | None
    # Where the item is decided when that is not the file page: the bank movement's page.
    decided_at: str | None
    # The debtor's own words (a dispute's explanation) and the documents they sent with them.
    debtor_words: str = ""
    documents: tuple[Document, ...] = ()


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
            decided_at = reverse("backoffice:movement", args=[movement_id])
        except NoReverseMatch:
            decided_at = None
    if item.kind == WorkItemKind.DISPUTE:
        return _dispute_details(item, data)
    return WorkItemDetails(
        facts=work_item_facts(item.kind, data), phishing_report=report, decided_at=decided_at
    )


def _dispute_details(item: WorkItem, data: dict[str, Any]) -> WorkItemDetails:
    dispute_id = data.get("dispute_id")
    dispute = Dispute.objects.filter(pk=dispute_id).first() if isinstance(dispute_id, int) else None
    if dispute is None or item.file_id is None or dispute.file_id != item.file_id:
        return WorkItemDetails(
            facts=work_item_facts(item.kind, data), phishing_report=None, decided_at=None
        )
    facts = [(_("Reason given"), dispute.get_reason_display())]
    facts.append(
        (
            _("Collection"),
            _("suspended while the dispute is checked")
            if dispute.suspended_file
            else _("not suspended (the file was already on hold)"),
        )
    )
    facts.append((_("Dispute"), dispute.get_status_display()))
    return WorkItemDetails(
        facts=facts,
        phishing_report=None,
        decided_at=None,
        debtor_words=dispute.explanation,
        documents=tuple(dispute.evidence.order_by("uploaded_at", "id")),
    )


def work_item_facts(kind: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """The facts of an item's data that a person reads, labelled in the staff member's
    language; record ids (reached through the page's links instead) are left out."""
    facts: list[tuple[str, str]] = []
    if kind == WorkItemKind.DOCUMENT_REQUEST:
        kinds = [_document_kind(k) for k in data.get("kinds", [])]
        missing = [_document_kind(k) for k in data.get("missing", [])]
        facts.append((_("Documents asked for"), ", ".join(kinds) or "—"))
        facts.append((_("Not on file yet"), ", ".join(missing) or _("none")))
    elif kind in {WorkItemKind.DEBT_MEDIATION, WorkItemKind.COLLECTIVE_SETTLEMENT}:
        found = data.get("mediator")
        mediator: dict[str, Any] = found if isinstance(found, dict) else {}
        files = data.get("files") or []
        facts.append((_("Files concerned"), ", ".join(str(f) for f in files) or "—"))
        for label, key in (
            (_("Mediator"), "name"),
            (_("Organisation"), "organisation"),
            (_("E-mail"), "email"),
            (_("Phone"), "phone"),
        ):
            facts.append((label, str(mediator.get(key) or "—")))
    elif kind == WorkItemKind.PAYMENT_PLAN_REQUEST:
        facts.append((_("Instalments asked for"), str(data.get("instalments", "—"))))
        facts.append((_("First instalment asked for"), _day(data.get("first_due_on"))))
        facts.append((_("Balance on the day of the request"), _amount(data.get("total"))))
        facts.append(
            (
                _("Mentions difficulties"),
                _("yes") if data.get("mentions_difficulties") else _("no"),
            )
        )
    elif kind == WorkItemKind.UNMATCHED_MOVEMENT:
        facts.append((_("Amount"), _amount(data.get("amount"))))
        facts.append((_("Booked on"), _day(data.get("booking_date"))))
    return facts


def _document_kind(code: object) -> str:
    try:
        return str(DocumentKind(str(code)).label)
    except ValueError:
        return str(code)


def _amount(value: object) -> str:
    try:
        return eur(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return "—"


def _day(value: object) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return "—"


# --- files --------------------------------------------------------------------------------------


def access_file_for_staff(reference: str) -> File:
    """The file with this reference (as a person types it); 404 when there is none."""
    normalized = normalize_file_reference(reference)
    if not is_file_reference(normalized):
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
            document_id: _declared_payment(data)
            for item in open_items
            if item.kind == WorkItemKind.PROOF_REVIEW
            for document_id, data in declared_proofs(item).items()
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
