"""Journey 1: the debtor's files, what each owes and why, its statement and documents."""

from __future__ import annotations

import logging

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from amicable.files.documents import list_debtor_uploads
from amicable.files.downloads import serve_document
from amicable.files.history import debtor_history
from amicable.files.ledger import file_balance
from amicable.letters.downloads import record_statement_download
from amicable.letters.rendering import LetterRefused
from amicable.letters.statement import statement_of_account_pdf
from amicable.portal.authentication import ACTOR
from amicable.portal.selectors import (
    access_document_for_debtor,
    access_file_for_debtor,
    get_breakdown,
    list_files_for_debtor,
    signed_in_debtor_id,
)
from amicable.portal.views.sign_in import require_sign_in

__all__ = ["document", "file_detail", "file_list", "statement"]

logger = logging.getLogger(__name__)


def file_list(request: HttpRequest) -> HttpResponse:
    if (response := require_sign_in(request)) is not None:
        return response
    debtor_id = signed_in_debtor_id(request)
    assert debtor_id is not None
    today = timezone.localdate()
    files = [(f, file_balance(f, as_of=today)) for f in list_files_for_debtor(debtor_id)]
    return render(request, "portal/file_list.html", {"files": files, "today": today})


def file_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 1: how much do I owe, and why."""
    if (response := require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    context = {
        "file": file,
        "breakdown": get_breakdown(file, today=timezone.localdate()),
        "uploads": list_debtor_uploads(file),
        "history": debtor_history(file),
    }
    return render(request, "portal/file_detail.html", context)


def statement(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 1: the dated statement of account (PDF), in the debtor's language."""
    if (response := require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    today = timezone.localdate()
    try:
        pdf = statement_of_account_pdf(file, on=today)
    except LetterRefused as refused:
        # A statement whose figures break a rule is never produced; staff must look at it.
        logger.error("Statement of %s refused: %s", file.reference, refused.errors)
        return render(request, "portal/statement_unavailable.html", {"file": file}, status=503)
    record_statement_download(file=file, on=today, actor=ACTOR)
    download = HttpResponse(pdf, content_type="application/pdf")
    name = f"{file.reference}-{today:%Y-%m-%d}.pdf"
    download["Content-Disposition"] = f'attachment; filename="{name}"'
    return download


def document(request: HttpRequest, reference: str, document_id: int) -> HttpResponse | FileResponse:
    """A supporting document of the debt, or a document the debtor sent, as a download."""
    if (response := require_sign_in(request)) is not None:
        return response
    return serve_document(access_document_for_debtor(request, reference, document_id))
