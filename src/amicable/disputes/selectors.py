"""Reads for the portal's "I do not agree" page: the file's disputes and document requests."""

from __future__ import annotations

from django.db.models import QuerySet

from amicable.disputes.models import Declaration, Dispute, DocumentRequest
from amicable.files.models import File

__all__ = ["list_declarations", "list_disputes", "list_document_requests"]


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


def list_declarations(debtor_id: int) -> QuerySet[Declaration]:
    """The debtor's declarations of debt mediation or collective settlement, newest first."""
    return (
        Declaration.objects.filter(debtor_id=debtor_id)
        .prefetch_related("files")
        .order_by("-created_at", "-id")
    )
