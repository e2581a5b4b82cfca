"""The documents of a file: the supporting documents of the debt that the creditor hands over
(CEL art. XIX.7 §3: invoice, contract, general terms, which the debtor may download without
delay) and what the debtor uploads (a proof of payment, the evidence of a dispute, a court
decision).

An upload is checked before it gets here (``amicable.files.uploads.check_upload``: type sniffed
from the content, at most 10 MB, sha256, virus scan when configured). It is stored under its
sha256, never under the name its sender gave it; what the debtor sends waits for an agent's
review.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import Q, QuerySet

from amicable.files.models import (
    Claim,
    Document,
    DocumentKind,
    File,
    ReviewStatus,
    ScanStatus,
)
from amicable.files.uploads import CheckedUpload, upload_name

__all__ = [
    "DEBTOR_UPLOADER",
    "SUPPORTING_KINDS",
    "list_debtor_uploads",
    "list_downloadable",
    "list_supporting_documents",
    "store_debtor_upload",
    "store_document",
]

#: ``Document.uploaded_by`` of everything the debtor sent through the portal.
DEBTOR_UPLOADER = "portal"

#: The supporting documents of the debt that the debtor may ask for (CEL art. XIX.7 §3).
SUPPORTING_KINDS: tuple[str, ...] = (
    DocumentKind.INVOICE,
    DocumentKind.CONTRACT,
    DocumentKind.GENERAL_TERMS,
)


def store_document(
    *,
    file: File,
    upload: CheckedUpload,
    original_name: str,
    kind: DocumentKind,
    uploaded_by: str,
    claim: Claim | None = None,
    review_status: ReviewStatus = ReviewStatus.NOT_REQUIRED,
) -> Document:
    """Store a checked upload on ``file`` under its sha256; the name given is kept for display."""
    document = Document(
        file=file,
        claim=claim,
        kind=kind,
        original_name=upload_name(original_name),
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=uploaded_by,
        review_status=review_status,
        scan_status=ScanStatus.CLEAN if upload.scanned else ScanStatus.NOT_SCANNED,
    )
    document.content.save(
        f"{upload.sha256}.{upload.extension}", ContentFile(upload.content), save=False
    )
    document.save()
    return document


def store_debtor_upload(
    *, file: File, upload: CheckedUpload, original_name: str, kind: DocumentKind
) -> Document:
    """Store a checked upload of the debtor on ``file``, pending an agent's review."""
    return store_document(
        file=file,
        upload=upload,
        original_name=original_name,
        kind=kind,
        uploaded_by=DEBTOR_UPLOADER,
        review_status=ReviewStatus.PENDING,
    )


def list_debtor_uploads(file: File, *, kinds: tuple[str, ...] = ()) -> QuerySet[Document]:
    """What the debtor sent on ``file``, newest first, with its review status."""
    documents = Document.objects.filter(file=file, uploaded_by=DEBTOR_UPLOADER)
    if kinds:
        documents = documents.filter(kind__in=kinds)
    return documents.order_by("-uploaded_at", "-id")


def list_supporting_documents(file: File) -> QuerySet[Document]:
    """The invoice, contract and general terms the creditor supplied for ``file``."""
    return (
        Document.objects.filter(file=file, kind__in=SUPPORTING_KINDS)
        .exclude(uploaded_by=DEBTOR_UPLOADER)
        .order_by("kind", "id")
    )


def list_downloadable(file: File) -> QuerySet[Document]:
    """Every document of ``file`` the debtor may download: the supporting documents of the debt
    and their own uploads. Nothing else (letters to the mediator, staff notes...)."""
    return Document.objects.filter(
        Q(kind__in=SUPPORTING_KINDS) | Q(uploaded_by=DEBTOR_UPLOADER), file=file
    )
