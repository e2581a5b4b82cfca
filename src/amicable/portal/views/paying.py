"""Journeys 2 and 3: how to pay (QR code, structured communication), a payment plan, and the
payments registered with a proof for a missing one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amicable.domain.epc import epc_payload, epc_qr_svg
from amicable.domain.references import ogm_format
from amicable.files.documents import list_debtor_uploads
from amicable.files.ledger import file_balance
from amicable.files.models import DocumentKind
from amicable.plans import rules as plan_rules
from amicable.plans import selectors as plan_selectors
from amicable.plans.answers import refusal_reason
from amicable.plans.errors import PlanError
from amicable.plans.models import PaymentPlan
from amicable.plans.requests import AGENT_ANSWER_WORKING_DAYS, request_payment_plan
from amicable.portal import limits
from amicable.portal.authentication import ACTOR
from amicable.portal.forms import PaymentPlanForm, ProofOfPaymentForm
from amicable.portal.selectors import (
    access_file_for_debtor,
    get_breakdown,
    list_transactions,
    paid_only_the_principal,
)
from amicable.portal.views.sign_in import require_sign_in
from amicable.proofs.submission import (
    PROOF_REVIEW_WORKING_DAYS,
    VISIBLE_AFTER_WORKING_DAYS,
    DeclaredPayment,
    payment_visible_by,
    submit_proof_of_payment,
)

__all__ = ["pay", "payments", "plan"]


def group_iban(iban: str) -> str:
    compact = "".join(iban.split())
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def payment_qr(*, amount: Decimal, communication: str, label: str = "") -> str:
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
    if (response := require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    agency = settings.AMICABLE_AGENCY
    outstanding = file_balance(file, as_of=timezone.localdate()).outstanding
    communication = ogm_format(file.structured_communication)
    qr_svg = ""
    if outstanding > 0:
        qr_svg = payment_qr(amount=outstanding, communication=file.structured_communication)
    context = {
        "file": file,
        "agency": agency,
        "iban": group_iban(agency["iban"]),
        "communication": communication,
        "outstanding": outstanding,
        "qr_svg": qr_svg,
    }
    return render(request, "portal/pay.html", context)


def _proof_received_message(*, paid_on: date | None, paid_to: str, today: date) -> str:
    visible_by = payment_visible_by(paid_on=paid_on, paid_to=paid_to) if paid_on else None
    if visible_by is not None and visible_by > today:
        return _(
            "Thank you, we have your proof. Your payment may still appear by %(date)s; "
            "an agent checks your proof within %(days)d working days in any case."
        ) % {"date": f"{visible_by:%d/%m/%Y}", "days": PROOF_REVIEW_WORKING_DAYS}
    return _(
        "Thank you, we have your proof. An agent checks it within %(days)d working days and "
        "tells you the outcome."
    ) % {"days": PROOF_REVIEW_WORKING_DAYS}


@require_http_methods(["GET", "POST"])
def payments(request: HttpRequest, reference: str) -> HttpResponse:
    """Journey 3: I already paid (the payments registered, and a proof for a missing one)."""
    if (response := require_sign_in(request)) is not None:
        return response
    file = access_file_for_debtor(request, reference)
    today = timezone.localdate()
    form = ProofOfPaymentForm(request.POST or None, request.FILES or None, today=today)
    gate = limits.gate_uploads(request, file, fields=("proof",))
    if request.method == "POST" and form.is_valid() and gate.allowed:
        checked, name = form.cleaned_data["proof"]
        declared = DeclaredPayment(
            paid_to=form.cleaned_data["paid_to"],
            paid_on=form.cleaned_data["paid_on"],
            amount=form.cleaned_data["amount"],
            structured_communication=form.cleaned_data["structured_communication"],
        )
        submit_proof_of_payment(
            file=file,
            upload=checked,
            original_name=name,
            declared=declared,
            today=today,
            actor=ACTOR,
        )
        messages.success(
            request,
            _proof_received_message(
                paid_on=declared.paid_on, paid_to=declared.paid_to, today=today
            ),
        )
        return redirect("portal:payments", file.reference)
    gate.nothing_stored()
    # 429 when only the limit refused the documents; a form error otherwise.
    status = 400 if form.errors else 200 if gate.allowed else 429
    if not gate.allowed:
        form.add_error("proof", gate.refusal)
    breakdown = get_breakdown(file, today=today)
    context = {
        "file": file,
        "breakdown": breakdown,
        "transactions": list_transactions(file),
        "paid_only_the_principal": paid_only_the_principal(breakdown),
        "form": form,
        "uploads": list_debtor_uploads(file, kinds=(DocumentKind.PROOF_OF_PAYMENT,)),
        "visible_after": VISIBLE_AFTER_WORKING_DAYS,
        "review_days": PROOF_REVIEW_WORKING_DAYS,
    }
    return render(request, "portal/payments.html", context, status=status)


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
            qr_svg = payment_qr(
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
    if (response := require_sign_in(request)) is not None:
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
                request_payment_plan(
                    file=file,
                    instalment_count=form.cleaned_data["instalment_count"],
                    first_due_on=form.cleaned_data["first_due_on"],
                    today=today,
                    actor=ACTOR,
                    mentions_difficulties=form.cleaned_data["mentions_difficulties"],
                    note=form.cleaned_data["note"],
                )
            except PlanError:
                form.add_error(None, _("Your request could not be recorded. Please call us."))
            else:
                return redirect("portal:plan", file.reference)
    refused = plan_selectors.get_last_refusal(file) if form is not None else None
    context = {
        "file": file,
        "plan": open_plan,
        "refused": refused,
        "refused_reason": refusal_reason(refused) if refused else "",
        "rows": _instalment_rows(open_plan, today=today) if open_plan else [],
        "form": form,
        "rules": plan_rules.current_rules(),
        "answer_days": AGENT_ANSWER_WORKING_DAYS,
        "outstanding": outstanding,
        "agency": settings.AMICABLE_AGENCY,
        "iban": group_iban(settings.AMICABLE_AGENCY["iban"]),
    }
    return render(request, "portal/plan.html", context, status=400 if form and form.errors else 200)
