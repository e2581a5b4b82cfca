"""Documents that pass between the debtor and the agency: what the debtor uploads (a proof of
payment, the evidence of a dispute, a court decision) and the supporting documents of the debt
the debtor may download (CEL art. XIX.7 §3: invoice, contract, general terms, without delay).

An upload is checked before it gets here (``amicable.files.uploads.check_upload``: type sniffed
from the content, at most 10 MB, sha256, virus scan when configured). It is stored under its
sha256, never under the name the debtor gave it, and waits for an agent's review.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import Q, QuerySet

from amicable.files.models import Document, DocumentKind, File, ReviewStatus, ScanStatus
from amicable.files.uploads import CheckedUpload

__all__ = [
    "DEBTOR_UPLOADER",
    "SUPPORTING_KINDS",
    "list_debtor_uploads",
    "list_downloadable",
    "list_supporting_documents",
    "store_debtor_upload",
]

#: ``Document.uploaded_by`` of everything the debtor sent through the portal.
DEBTOR_UPLOADER = "portal"

#: The supporting documents of the debt that the debtor may ask for (CEL art. XIX.7 §3).
SUPPORTING_KINDS: tuple[str, ...] = (
    DocumentKind.INVOICE,
    DocumentKind.CONTRACT,
    DocumentKind.GENERAL_TERMS,
)


def _safe_name(name: str) -> str:
    """The file name as the debtor gave it, for display only: no path, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:200] or "document"


def store_debtor_upload(
    *, file: File, upload: CheckedUpload, original_name: str, kind: DocumentKind
) -> Document:
    """Store a checked upload of the debtor on ``file``, pending an agent's review."""
    document = Document(
        file=file,
        kind=kind,
        original_name=_safe_name(original_name),
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=DEBTOR_UPLOADER,
        review_status=ReviewStatus.PENDING,
        scan_status=ScanStatus.CLEAN if upload.scanned else ScanStatus.NOT_SCANNED,
    )
    document.content.save(f"{upload.sha256}.{upload.extension}", ContentFile(upload.content))
    return document


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
