"""The debtor portal: each view parses its input, calls one service or selector, renders."""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amicable.disputes import selectors as dispute_selectors
from amicable.disputes import services as dispute_services
from amicable.disputes.documents import list_debtor_uploads, list_supporting_documents
from amicable.domain.epc import epc_payload, epc_qr_svg
from amicable.domain.references import ogm_format
from amicable.files.ledger import file_balance
from amicable.files.models import DocumentKind
from amicable.letters.rendering import LetterRefused
from amicable.plans import rules as plan_rules
from amicable.plans import selectors as plan_selectors
from amicable.plans import services as plan_services
from amicable.plans.models import PaymentPlan
from amicable.portal import faq, paths, services
from amicable.portal.forms import (
    AuthenticityForm,
    CollectiveSettlementForm,
    DebtMediationForm,
    DisputeForm,
    DocumentRequestForm,
    PaymentPlanForm,
    PhishingReportForm,
    ProofOfPaymentForm,
    SignInForm,
)
from amicable.portal.models import FraudCampaign
from amicable.portal.selectors import (
    SESSION_DEBTOR,
    SESSION_FILE,
    access_document_for_debtor,
    access_file_for_debtor,
    get_breakdown,
    list_files_for_debtor,
    list_transactions,
    paid_only_the_principal,
    signed_in_debtor_id,
)
from amicable.portal.statement import statement_pdf

SESSION_LANGUAGE = "portal_language"
logger = logging.getLogger(__name__)


def _client_ip(request: HttpRequest) -> str:
    # The app is served behind one trusted reverse proxy that sets REMOTE_ADDR; a header the
    # client controls (X-Forwarded-For) would let an attacker escape the per-address lock-out.
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _minutes_until(moment: datetime) -> int:
    seconds: float = (moment - timezone.now()).total_seconds()
    return max(1, math.ceil(seconds / 60))


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = services.sign_in(
            reference=form.cleaned_data["reference"],
            code=form.cleaned_data["code"],
            client_ip=_client_ip(request),
            now=timezone.now(),
        )
        if result.outcome is services.SignInOutcome.SIGNED_IN and result.file is not None:
            # A new session key on sign-in, so a key planted before cannot be reused.
            request.session.cycle_key()
            request.session[SESSION_DEBTOR] = result.file.debtor_id
            request.session[SESSION_FILE] = result.file.pk
            language = result.file.debtor.language
            request.session[SESSION_LANGUAGE] = language
            translation.activate(language)
            response = redirect("portal:files")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
        if result.outcome is services.SignInOutcome.LOCKED and result.retry_at is not None:
            error = _(
                "Too many unsuccessful attempts. For your security, sign-in is blocked: "
                "try again in %(minutes)d minutes, or call us."
            ) % {"minutes": _minutes_until(result.retry_at)}
        else:
            error = _(
                "The file number or the access code is not correct. Check both on our letter."
            )
    status = 200 if not error else 400
    return render(request, "portal/sign_in.html", {"form": form, "error": error}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("portal:sign_in")


def _require_sign_in(request: HttpRequest) -> HttpResponseRedirect | None:
    if signed_in_debtor_id(request) is None:
        return redirect(f"{reverse('portal:sign_in')}?expired=1")
    return None


def file_list(request: HttpRequest) -> HttpResponse:
    if (response := _require_sign_in(request)) is not None:
        return response
    debtor_id = signed_in_debtor_id(request)
    assert debtor_id is not None
    today = timezone.localdate()
    files = [(f, file_balance(f, as_of=today)) for f in list_files_for_debtor(debtor_id)]
    return render(request, "portal/file_list.html", {"files": files, "today": today})


def file_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 1: how much do I owe, and why."""
    if (response := _require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    context = {
        "file": file,
        "breakdown": get_breakdown(file, today=timezone.localdate()),
        "uploads": list_debtor_uploads(file),
    }
    return render(request, "portal/file_detail.html", context)


def statement(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 1: the dated statement of account (PDF), in the debtor's language."""
    if (response := _require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    today = timezone.localdate()
    try:
        pdf = statement_pdf(file, today=today)
    except LetterRefused as refused:
        # A statement whose figures break a rule is never produced; staff must look at it.
        logger.error("Statement of %s refused: %s", file.reference, refused.errors)
        return render(request, "portal/statement_unavailable.html", {"file": file}, status=503)
    services.record_statement_download(file=file, on=today)
    download = HttpResponse(pdf, content_type="application/pdf")
    name = f"{file.reference}-{today:%Y-%m-%d}.pdf"
    download["Content-Disposition"] = f'attachment; filename="{name}"'
    return download


def _group_iban(iban: str) -> str:
    compact = "".join(iban.split())
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _payment_qr(*, amount: Decimal, communication: str, label: str = "") -> str:
    """The EPC069-12 QR code (SVG) that Belgian banking apps scan, with a translated label."""
    agency = settings.AMICABLE_AGENCY
    svg = epc_qr_svg(
        epc_payload(
            beneficiary=agency["name"],
            iban=agency["iban"],
            bic=agency["bic"],
            amount=amount,
            reference=communication,
        )
    )
    text = escape(label or _("QR code to scan with your banking app"))
    return svg.replace('aria-label="EPC QR code"', f'aria-label="{text}"', 1)


def pay(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 2: how do I pay (EPC069-12 QR code, structured communication)."""
    if (response := _require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    agency = settings.AMICABLE_AGENCY
    outstanding = file_balance(file, as_of=timezone.localdate()).outstanding
    communication = ogm_format(file.structured_communication)
    qr_svg = ""
    if outstanding > 0:
        qr_svg = _payment_qr(amount=outstanding, communication=file.structured_communication)
    context = {
        "file": file,
        "agency": agency,
        "iban": _group_iban(agency["iban"]),
        "communication": communication,
        "outstanding": outstanding,
        "qr_svg": qr_svg,
    }
    return render(request, "portal/pay.html", context)


def _proof_received_message(*, paid_on: date | None, paid_to: str, today: date) -> str:
    visible_by = services.payment_visible_by(paid_on=paid_on, paid_to=paid_to) if paid_on else None
    if visible_by is not None and visible_by > today:
        return _(
            "Thank you, we have your proof. Your payment may still appear by %(date)s; "
            "an agent checks your proof within %(days)d working days in any case."
        ) % {"date": f"{visible_by:%d/%m/%Y}", "days": services.PROOF_REVIEW_WORKING_DAYS}
    return _(
        "Thank you, we have your proof. An agent checks it within %(days)d working days and "
        "tells you the outcome."
    ) % {"days": services.PROOF_REVIEW_WORKING_DAYS}


@require_http_methods(["GET", "POST"])
def payments(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 3: I already paid (the payments registered, and a proof for a missing one)."""
    if (response := _require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    today = timezone.localdate()
    form = ProofOfPaymentForm(request.POST or None, request.FILES or None, today=today)
    if request.method == "POST" and form.is_valid():
        checked, name = form.cleaned_data["proof"]
        declared = services.DeclaredPayment(
            paid_to=form.cleaned_data["paid_to"],
            paid_on=form.cleaned_data["paid_on"],
            amount=form.cleaned_data["amount"],
            structured_communication=form.cleaned_data["structured_communication"],
        )
        services.submit_proof_of_payment(
            file=file, upload=checked, original_name=name, declared=declared, today=today
        )
        messages.success(
            request,
            _proof_received_message(
                paid_on=declared.paid_on, paid_to=declared.paid_to, today=today
            ),
        )
        return redirect("portal:payments", file.reference)
    breakdown = get_breakdown(file, today=today)
    context = {
        "file": file,
        "breakdown": breakdown,
        "transactions": list_transactions(file),
        "paid_only_the_principal": paid_only_the_principal(breakdown),
        "form": form,
        "uploads": list_debtor_uploads(file, kinds=(DocumentKind.PROOF_OF_PAYMENT,)),
        "visible_after": services.VISIBLE_AFTER_WORKING_DAYS,
        "review_days": services.PROOF_REVIEW_WORKING_DAYS,
    }
    return render(request, "portal/payments.html", context, status=400 if form.errors else 200)


def document(request: HttpRequest, reference: str, document_id: int) -> HttpResponse | FileResponse:
    """A supporting document of the debt, or a document the debtor sent, as a download."""
    if (response := _require_sign_in(request)) is not None:
        return response
    found = access_document_for_debtor(request, reference, document_id)
    return FileResponse(
        found.content.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )


@require_http_methods(["GET", "POST"])
def disagree(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 4: the seven ways to disagree, the disputes' status, the supporting documents."""
    if (response := _require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    form = DocumentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answered = dispute_services.request_documents(
            file=file,
            kinds=form.cleaned_data["kinds"],
            today=timezone.localdate(),
            actor=services.ACTOR,
        )
        messages.success(request, _documents_message(answered=answered.status == "answered"))
        return redirect("portal:disagree", file.reference)
    context = {
        "file": file,
        "paths": paths.PATHS,
        "by_reason": paths.BY_REASON,
        "disputes": dispute_selectors.list_disputes(file),
        "requests": dispute_selectors.list_document_requests(file),
        "supporting": list_supporting_documents(file),
        "form": form,
        "documents_days": dispute_services.DOCUMENTS_WORKING_DAYS,
    }
    return render(request, "portal/disagree.html", context, status=400 if form.errors else 200)


def _documents_message(*, answered: bool) -> str:
    if answered:
        return _("The documents you asked for are below: you can download them now.")
    return _(
        "Your request is registered. We ask the creditor for the missing documents and send "
        "them to you within %(days)d working days; collection is suspended until then."
    ) % {"days": dispute_services.DOCUMENTS_WORKING_DAYS}


@require_http_methods(["GET", "POST"])
def dispute_path(request: HttpRequest, reference: str, slug: str) -> HttpResponse:
    """Journey 4: one way to disagree, guided: what to have done, what to upload, the form."""
    if (response := _require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    path = paths.BY_SLUG.get(slug)
    if path is None:
        raise Http404
    form = DisputeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        dispute_services.open_dispute(
            file=file,
            reason=path.reason,
            explanation=form.cleaned_data["explanation"],
            evidence=form.cleaned_data["evidence"],
            today=timezone.localdate(),
            actor=services.ACTOR,
        )
        messages.success(request, _("Your dispute is registered."))
        return redirect("portal:disagree", file.reference)
    context = {
        "file": file,
        "path": path,
        "form": form,
        "review_days": dispute_services.DISPUTE_REVIEW_WORKING_DAYS,
    }
    return render(request, "portal/dispute.html", context, status=400 if form.errors else 200)


def difficulties(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 5: I cannot pay (payment facilities, free debt mediation, declarations)."""
    if (response := _require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    context = {
        "file": file,
        "declarations": dispute_selectors.list_declarations(file.debtor_id),
        "files": list_files_for_debtor(file.debtor_id),
        "uploads": list_debtor_uploads(file, kinds=(DocumentKind.COURT_DECISION,)),
    }
    return render(request, "portal/difficulties.html", context)


def _mediator(data: dict[str, str]) -> dispute_services.MediatorContact:
    return dispute_services.MediatorContact(
        name=data["mediator_name"],
        organisation=data["mediator_organisation"],
        email=data["mediator_email"],
        phone=data["mediator_phone"],
    )


@require_http_methods(["GET", "POST"])
def declare_mediation(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 5: declare an amicable debt mediation (CEL Book XIX, Title 3)."""
    if (response := _require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    today = timezone.localdate()
    form = DebtMediationForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        dispute_services.declare_debt_mediation(
            file=file, mediator=_mediator(form.cleaned_data), today=today, actor=services.ACTOR
        )
        messages.success(request, _("Your debt mediation is registered."))
        return redirect("portal:difficulties", file.reference)
    context = {"file": file, "form": form}
    return render(request, "portal/mediation.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def declare_settlement(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 5: declare a collective debt settlement (Judicial Code art. 1675/2 ff.)."""
    if (response := _require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    today = timezone.localdate()
    form = CollectiveSettlementForm(request.POST or None, request.FILES or None, today=today)
    if request.method == "POST" and form.is_valid():
        dispute_services.declare_collective_settlement(
            file=file,
            admissibility_date=form.cleaned_data["admissibility_date"],
            court_decision=form.cleaned_data["court_decision"],
            court_reference=form.cleaned_data["court_reference"],
            mediator=_mediator(form.cleaned_data),
            today=today,
            actor=services.ACTOR,
        )
        messages.success(request, _("Your collective debt settlement is registered."))
        return redirect("portal:difficulties", file.reference)
    context = {"file": file, "form": form}
    return render(request, "portal/settlement.html", context, status=400 if form.errors else 200)


@dataclass(frozen=True, slots=True)
class _InstalmentRow:
    instalment: plan_selectors.InstalmentView
    communication: str
    qr_svg: str


def _instalment_rows(plan: PaymentPlan, *, today: date) -> list[_InstalmentRow]:
    """Each instalment with its printed communication and, until paid, its own QR code."""
    rows = []
    for view in plan_selectors.plan_schedule(plan, today=today):
        qr_svg = ""
        if view.status is not plan_selectors.InstalmentStatus.PAID:
            qr_svg = _payment_qr(
                amount=view.amount,
                communication=view.structured_communication,
                label=_("QR code for instalment %(number)d") % {"number": view.number},
            )
        rows.append(
            _InstalmentRow(
                instalment=view,
                communication=ogm_format(view.structured_communication),
                qr_svg=qr_svg,
            )
        )
    return rows


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 2: ask for a payment plan; show the plan with each instalment's details."""
    if (response := _require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    today = timezone.localdate()
    open_plan = plan_selectors.get_open_plan(file)
    outstanding = file_balance(file, as_of=today).outstanding
    form = None
    if open_plan is None and outstanding > 0 and plan_rules.may_ask_for_plan(file.file_state):
        form = PaymentPlanForm(request.POST or None, today=today)
        if request.method == "POST" and form.is_valid():
            try:
                plan_services.request_payment_plan(
                    file=file,
                    instalment_count=form.cleaned_data["instalment_count"],
                    first_due_on=form.cleaned_data["first_due_on"],
                    today=today,
                    actor=services.ACTOR,
                    mentions_difficulties=form.cleaned_data["mentions_difficulties"],
                    note=form.cleaned_data["note"],
                )
            except plan_services.PlanError:
                form.add_error(None, _("Your request could not be recorded. Please call us."))
            else:
                return redirect("portal:plan", file.reference)
    refused = plan_selectors.get_last_refusal(file) if form is not None else None
    context = {
        "file": file,
        "plan": open_plan,
        "refused": refused,
        "refused_reason": plan_services.refusal_reason(refused) if refused else "",
        "rows": _instalment_rows(open_plan, today=today) if open_plan else [],
        "form": form,
        "rules": plan_rules.current_rules(),
        "answer_days": plan_services.AGENT_ANSWER_WORKING_DAYS,
        "outstanding": outstanding,
        "agency": settings.AMICABLE_AGENCY,
        "iban": _group_iban(settings.AMICABLE_AGENCY["iban"]),
    }
    return render(request, "portal/plan.html", context, status=400 if form and form.errors else 200)


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Journey 6: is this message really from us (public, rate-limited)."""
    form = AuthenticityForm(request.POST or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = services.check_authenticity(
            reference=form.cleaned_data["reference"],
            iban=form.cleaned_data["iban"],
            structured_communication=form.cleaned_data["structured_communication"],
            client_ip=_client_ip(request),
            now=timezone.now(),
        )
    campaigns = FraudCampaign.objects.filter(is_active=True)
    context = {
        "form": form,
        "outcome": outcome.value if outcome else "",
        "campaigns": campaigns,
        "agency": settings.AMICABLE_AGENCY,
    }
    return render(request, "portal/check.html", context)


@require_http_methods(["GET", "POST"])
def report_phishing(request: HttpRequest) -> HttpResponse:
    form = PhishingReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_phishing(
            channel=form.cleaned_data["channel"],
            received_on=form.cleaned_data["received_on"],
            sender=form.cleaned_data["sender"],
            content=form.cleaned_data["content"],
            reporter_email=form.cleaned_data["reporter_email"],
            today=timezone.localdate(),
        )
        return render(request, "portal/report_sent.html")
    return render(request, "portal/report.html", {"form": form})


def rights(request: HttpRequest) -> HttpResponse:
    """Journey 7: the debtor's rights and the supervisory authority."""
    return render(request, "portal/rights.html", {"agency": settings.AMICABLE_AGENCY})


def faq_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    entries = faq.search(query)
    return render(request, "portal/faq.html", {"entries": entries, "query": query})


def bench_enabled() -> bool:
    """Whether the benchmark's ceiling page is served: in development, or when the benchmark
    starts the server with ``AMICABLE_BENCH=1``; never in production otherwise."""
    return bool(settings.DEBUG) or os.environ.get("AMICABLE_BENCH") == "1"


def bench_ping(request: HttpRequest) -> HttpResponse:
    """A fixed page through the same middleware, server and database connection as the portal:
    the ceiling that ``bench/portal.py`` compares the file page with."""
    if not bench_enabled():
        raise Http404
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("<!doctype html><title>pong</title><p>pong</p>")
