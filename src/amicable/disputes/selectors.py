"""Reads for the portal's "I do not agree" page: the file's disputes and document requests."""

from __future__ import annotations

from django.db.models import QuerySet

from amicable.disputes.models import Dispute, DocumentRequest
from amicable.files.models import File

__all__ = ["list_disputes", "list_document_requests"]


def list_disputes(file: File) -> QuerySet[Dispute]:
    """The disputes of ``file``, newest first, with their evidence."""
    return (
        Dispute.objects.filter(file=file)
        .prefetch_related("evidence")
        .order_by("-created_at", "-id")
    )


def list_document_requests(file: File) -> QuerySet[DocumentRequest]:
    """The requests for supporting documents of ``file``, newest first."""
    return DocumentRequest.objects.filter(file=file).order_by("-created_at", "-id")
