"""Journeys 4 and 5: the ways to disagree, the supporting documents, and the declarations of a
debt mediation or a collective debt settlement."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amicable.disputes import selectors as dispute_selectors
from amicable.disputes.declarations import (
    MediatorContact,
    declare_collective_settlement,
    declare_debt_mediation,
)
from amicable.disputes.opening import (
    DISPUTE_REVIEW_WORKING_DAYS,
    DOCUMENTS_WORKING_DAYS,
    MAX_EVIDENCE_FILES,
    open_dispute,
    request_documents,
)
from amicable.disputes.reasons import reasons_for_sector
from amicable.files.documents import list_debtor_uploads, list_supporting_documents
from amicable.files.models import DocumentKind
from amicable.files.uploads import MAX_UPLOAD_BYTES
from amicable.portal import limits, paths
from amicable.portal.authentication import ACTOR
from amicable.portal.forms import (
    CollectiveSettlementForm,
    DebtMediationForm,
    DisputeForm,
    DocumentRequestForm,
)
from amicable.portal.selectors import access_file_for_debtor, list_files_for_debtor
from amicable.portal.views.sign_in import require_sign_in
from amicable.security.request_size import accepts_files_up_to

__all__ = [
    "declare_mediation",
    "declare_settlement",
    "difficulties",
    "disagree",
    "dispute_path",
]


@require_http_methods(["GET", "POST"])
def disagree(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 4: the ways to disagree that fit the creditor's sector, the disputes' status,
    the supporting documents."""
    if (response := require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    form = DocumentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answered = request_documents(
            file=file,
            kinds=form.cleaned_data["kinds"],
            today=timezone.localdate(),
            actor=ACTOR,
        )
        messages.success(request, _documents_message(answered=answered.status == "answered"))
        return redirect("portal:disagree", file.reference)
    context = {
        "file": file,
        "paths": paths.paths_for_sector(file.creditor.sector),
        "by_reason": paths.BY_REASON,
        "disputes": dispute_selectors.list_disputes(file),
        "requests": dispute_selectors.list_document_requests(file),
        "supporting": list_supporting_documents(file),
        "form": form,
        "documents_days": DOCUMENTS_WORKING_DAYS,
    }
    return render(request, "portal/disagree.html", context, status=400 if form.errors else 200)


def _documents_message(*, answered: bool) -> str:
    if answered:
        return _("The documents you asked for are below: you can download them now.")
    return _(
        "Your request is registered. We ask the creditor for the missing documents and send "
        "them to you within %(days)d working days; collection is suspended until then."
    ) % {"days": DOCUMENTS_WORKING_DAYS}


@require_http_methods(["GET", "POST"])
@accepts_files_up_to(MAX_EVIDENCE_FILES * MAX_UPLOAD_BYTES)
def dispute_path(request: HttpRequest, reference: str, slug: str) -> HttpResponse:
    """Journey 4: one way to disagree, guided: what to have done, what to upload, the form."""
    if (response := require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    path = paths.BY_SLUG.get(slug)
    # A reason that does not fit the creditor's sector is not offered, nor reachable by URL.
    if path is None or path.reason not in reasons_for_sector(file.creditor.sector):
        raise Http404
    form = DisputeForm(request.POST or None, request.FILES or None)
    gate = limits.gate_uploads(request, file, fields=("evidence",))
    if request.method == "POST" and form.is_valid() and gate.allowed:
        open_dispute(
            file=file,
            reason=path.reason,
            explanation=form.cleaned_data["explanation"],
            evidence=form.cleaned_data["evidence"],
            today=timezone.localdate(),
            actor=ACTOR,
        )
        messages.success(request, _("Your dispute is registered."))
        return redirect("portal:disagree", file.reference)
    gate.nothing_stored()
    # 429 when only the limit refused the documents; a form error otherwise.
    status = 400 if form.errors else 200 if gate.allowed else 429
    if not gate.allowed:
        form.add_error("evidence", gate.refusal)
    context = {
        "file": file,
        "path": path,
        "form": form,
        "review_days": DISPUTE_REVIEW_WORKING_DAYS,
    }
    return render(request, "portal/dispute.html", context, status=status)


def difficulties(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 5: I cannot pay (payment facilities, free debt mediation, declarations)."""
    if (response := require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    context = {
        "file": file,
        "declarations": dispute_selectors.list_declarations(file.debtor_id),
        "files": list_files_for_debtor(file.debtor_id),
        "uploads": list_debtor_uploads(file, kinds=(DocumentKind.COURT_DECISION,)),
    }
    return render(request, "portal/difficulties.html", context)


def _mediator(data: dict[str, str]) -> MediatorContact:
    return MediatorContact(
        name=data["mediator_name"],
        organisation=data["mediator_organisation"],
        email=data["mediator_email"],
        phone=data["mediator_phone"],
    )


@require_http_methods(["GET", "POST"])
def declare_mediation(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 5: declare an amicable debt mediation (CEL Book XIX, Title 3)."""
    if (response := require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    today = timezone.localdate()
    form = DebtMediationForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        declare_debt_mediation(
            file=file, mediator=_mediator(form.cleaned_data), today=today, actor=ACTOR
        )
        messages.success(request, _("Your debt mediation is registered."))
        return redirect("portal:difficulties", file.reference)
    context = {"file": file, "form": form}
    return render(request, "portal/mediation.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def declare_settlement(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 5: declare a collective debt settlement (Judicial Code art. 1675/2 ff.)."""
    if (response := require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    today = timezone.localdate()
    form = CollectiveSettlementForm(request.POST or None, request.FILES or None, today=today)
    gate = limits.gate_uploads(request, file, fields=("court_decision",))
    if request.method == "POST" and form.is_valid() and gate.allowed:
        declare_collective_settlement(
            file=file,
            admissibility_date=form.cleaned_data["admissibility_date"],
            court_decision=form.cleaned_data["court_decision"],
            court_reference=form.cleaned_data["court_reference"],
            mediator=_mediator(form.cleaned_data),
            today=today,
            actor=ACTOR,
        )
        messages.success(request, _("Your collective debt settlement is registered."))
        return redirect("portal:difficulties", file.reference)
    gate.nothing_stored()
    # 429 when only the limit refused the documents; a form error otherwise.
    status = 400 if form.errors else 200 if gate.allowed else 429
    if not gate.allowed:
        form.add_error("court_decision", gate.refusal)
    context = {"file": file, "form": form}
    return render(request, "portal/settlement.html", context, status=status)
