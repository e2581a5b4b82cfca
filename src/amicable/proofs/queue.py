"""One review item per file for the proofs of payment a debtor sends (docs/journeys.md,
journey 3).

The first proof of a file opens a proof-review item, due in three working days; every proof
sent while it is open joins it (``data["proofs"]``: each document with what the debtor declared
with it), so that twenty proofs in a row make one item to review, not twenty. The item closes
when none of its proofs waits for a review any more: each is accepted, rejected or confirmed by
the bank on its own (:mod:`amicable.proofs.review`, :mod:`amicable.proofs.bank`).

Items written before proofs were collected are about their own document, with what was
declared at the top of their data: :func:`declared_proofs` reads both.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from amicable.domain.calendar import add_working_days
from amicable.files.models import (
    Document,
    File,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.work_queue import close_items

__all__ = [
    "PROOF_REVIEW_WORKING_DAYS",
    "declared_proofs",
    "listed_proofs",
    "queue_for_review",
    "settle_review_items",
]

#: A proof of payment is reviewed within three working days (agency policy, docs/journeys.md,
#: journey 3).
PROOF_REVIEW_WORKING_DAYS = 3


def declared_proofs(item: WorkItem) -> dict[int, dict[str, Any]]:
    """What the debtor declared with each proof of a review item, by document id.

    An item from before proofs were collected is about its own document, its data what was
    declared with it.
    """
    data = item.data if isinstance(item.data, Mapping) else {}
    listed = data.get("proofs")
    if isinstance(listed, list):
        return {
            entry["document_id"]: dict(entry)
            for entry in listed
            if isinstance(entry, Mapping) and isinstance(entry.get("document_id"), int)
        }
    return {} if item.document_id is None else {item.document_id: dict(data)}


def listed_proofs(item: WorkItem) -> list[tuple[Document, dict[str, Any]]]:
    """The documents of a review item, oldest first, each with what the debtor declared."""
    declared = declared_proofs(item)
    documents = Document.objects.filter(pk__in=list(declared)).order_by("uploaded_at", "pk")
    return [(document, declared[document.pk]) for document in documents]


def _title(file: File, count: int) -> str:
    """The item's title, for the agents' queue (staff data, not translated)."""
    return f"{file.reference}: {count} proofs of payment to review"


def queue_for_review(
    *, file: File, document: Document, declared: Mapping[str, str], today: date, title: str
) -> WorkItem:
    """Put a proof in the file's open review item, or open one (due in three working days).

    The caller holds the file's lock, so two proofs sent at once share one item.
    """
    entry = {"document_id": document.pk, **declared}
    item = (
        WorkItem.objects.filter(
            file=file, kind=WorkItemKind.PROOF_REVIEW, status=WorkItemStatus.OPEN
        )
        .order_by("pk")
        .first()
    )
    if item is None:
        return WorkItem.objects.create(
            kind=WorkItemKind.PROOF_REVIEW,
            file=file,
            document=document,
            title=title,
            due_on=add_working_days(today, PROOF_REVIEW_WORKING_DAYS),
            data={"proofs": [entry]},
        )
    proofs = list(declared_proofs(item).values())
    item.data = {"proofs": [*proofs, entry]}
    item.title = _title(file, len(proofs) + 1)
    item.save(update_fields=["data", "title"])
    return item


def settle_review_items(file_id: int, *, outcome: str, actor: str, now: datetime) -> int:
    """Close the file's open review items none of whose proofs waits any more; returns how
    many closed."""
    items = list(
        WorkItem.objects.filter(
            file_id=file_id, kind=WorkItemKind.PROOF_REVIEW, status=WorkItemStatus.OPEN
        )
    )
    waiting = set(
        Document.objects.filter(file_id=file_id, review_status=ReviewStatus.PENDING).values_list(
            "pk", flat=True
        )
    )
    done = [item.pk for item in items if not waiting & set(declared_proofs(item))]
    if not done:
        return 0
    return close_items(WorkItem.objects.filter(pk__in=done), outcome=outcome, actor=actor, now=now)
