"""The decisions an agent takes from a file's page: each view parses its form, calls the write of
the concept concerned, and shows the file again with the outcome or the refusal."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amicable.backoffice import selectors
from amicable.backoffice.access import actor_name, staff_user, staff_view
from amicable.backoffice.forms import (
    AcknowledgementForm,
    CallForm,
    DisputeForm,
    LetterForm,
    NoteForm,
    PlanAnswerForm,
    PlanForm,
    ProofReviewForm,
    ResumeForm,
)
from amicable.backoffice.presenters import eur
from amicable.backoffice.roles import Perm
from amicable.backoffice.views.files import file_page
from amicable.disputes import holds, resolution
from amicable.domain.contact import ContactPurpose, Recipient
from amicable.domain.mentions import LetterKind
from amicable.files.actions import ActionRefused
from amicable.files.prescription import record_file_acknowledgement
from amicable.letters import agent_contacts
from amicable.letters.models import LetterChannel
from amicable.plans import answers, requests
from amicable.plans import selectors as plan_selectors
from amicable.plans.errors import PlanError
from amicable.plans.models import PlanStatus
from amicable.proofs import review
from amicable.work_items import notes

__all__ = [
    "acknowledge_debt",
    "add_note",
    "agree_plan",
    "answer_plan",
    "log_call",
    "resolve_dispute",
    "resume",
    "review_proof",
    "send_letter",
]


@require_POST
@staff_view(Perm.WORK_FILES)
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            notes.add_note(
                file=file, text=form.cleaned_data["text"], actor=actor_name(staff_user(request))
            )
        except ActionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Note added."))
            return redirect("backoffice:file", file.reference)
    return file_page(request, file, status=400, note_form=form)


@require_POST
@staff_view(Perm.WORK_FILES)
def log_call(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = CallForm(request.POST)
    if not form.is_valid():
        return file_page(request, file, status=400, call_form=form)
    try:
        attempt = agent_contacts.log_call(
            file=file,
            recipient=Recipient(form.cleaned_data["recipient"]),
            purpose=ContactPurpose(form.cleaned_data["purpose"]),
            note=form.cleaned_data["note"],
            actor=actor_name(staff_user(request)),
            now=timezone.now(),
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return file_page(request, file, status=409, call_form=form)
    if attempt.allowed:
        messages.success(request, _("Call logged."))
    else:
        text = _("Call refused: %(why)s (%(article)s)") % {
            "why": attempt.message,
            "article": attempt.article,
        }
        if attempt.next_allowed_at is not None:
            when = timezone.localtime(attempt.next_allowed_at)
            text += " " + _("Next possible: %(when)s.") % {"when": when.strftime("%Y-%m-%d %H:%M")}
        messages.error(request, text)
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def review_proof(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    doc = selectors.access_document_for_staff(file, document_id)
    form = ProofReviewForm(request.POST)
    if not form.is_valid():
        return file_page(request, file, status=400, proof_forms={doc.pk: form})
    try:
        review.review_proof(
            document=doc,
            accepted=form.cleaned_data["decision"] == "accept",
            reason=form.rejection_reason(),
            note_for_debtor=form.cleaned_data["note_for_debtor"],
            payment=form.payment(),
            actor=actor_name(staff_user(request)),
            now=timezone.now(),
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return file_page(request, file, status=409, proof_forms={doc.pk: form})
    messages.success(request, _("Decision recorded; the debtor is told."))
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def resolve_dispute(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = DisputeForm(request.POST, file=file)
    if not form.is_valid():
        return file_page(request, file, status=400, dispute_form=form)
    try:
        resolution.resolve_dispute(
            file=file,
            outcome=resolution.DisputeOutcome(form.cleaned_data["outcome"]),
            explanation=form.cleaned_data["explanation"],
            reductions=form.reductions(),
            actor=actor_name(staff_user(request)),
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return file_page(request, file, status=409, dispute_form=form)
    messages.success(request, _("Dispute resolved; the debtor is told."))
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def agree_plan(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return file_page(request, file, status=400, plan_form=form)
    try:
        plan = requests.agree_payment_plan(
            file=file,
            instalment_count=form.cleaned_data["instalment_count"],
            first_due_on=form.cleaned_data["first_due_on"],
            note=form.cleaned_data["note"],
            actor=actor_name(staff_user(request)),
            today=timezone.localdate(),
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return file_page(request, file, status=409, plan_form=form)
    messages.success(
        request,
        _("Payment plan agreed: %(count)d instalments on %(total)s.")
        % {"count": plan.instalment_count, "total": eur(plan.total)},
    )
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def answer_plan(request: HttpRequest, reference: str) -> HttpResponse:
    """Agree to a plan request outside the rules, as asked or changed, or refuse it."""
    file = selectors.access_file_for_staff(reference)
    form = PlanAnswerForm(request.POST)
    if not form.is_valid():
        return file_page(request, file, status=400, plan_answer_form=form)
    plan = plan_selectors.get_open_plan(file)
    actor = actor_name(staff_user(request))
    try:
        if plan is None or plan.status != PlanStatus.REQUESTED:
            raise PlanError(_("This payment plan request was already answered."))
        if form.cleaned_data["decision"] == "agree":
            plan = answers.agree_plan_request(
                plan=plan,
                instalment_count=form.cleaned_data["instalment_count"],
                first_due_on=form.cleaned_data["first_due_on"],
                note_for_debtor=form.cleaned_data["note_for_debtor"],
                actor=actor,
                today=timezone.localdate(),
                now=timezone.now(),
            )
        else:
            refusal = form.refusal()
            assert refusal is not None  # the form requires it
            answers.refuse_plan_request(
                plan=plan,
                reason=refusal,
                note_for_debtor=form.cleaned_data["note_for_debtor"],
                actor=actor,
                today=timezone.localdate(),
                now=timezone.now(),
            )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return file_page(request, file, status=409, plan_answer_form=form)
    if plan.status == PlanStatus.ACTIVE:
        messages.success(
            request,
            _("Payment plan agreed: %(count)d instalments on %(total)s.")
            % {"count": plan.instalment_count, "total": eur(plan.total)},
        )
    else:
        messages.success(request, _("Payment plan request refused; the debtor is told."))
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def send_letter(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = LetterForm(request.POST)
    if not form.is_valid():
        return file_page(request, file, status=400, letter_form=form)
    try:
        outcome = agent_contacts.send_letter(
            file=file,
            kind=LetterKind(form.cleaned_data["kind"]),
            channel=LetterChannel(form.cleaned_data["channel"]),
            actor=actor_name(staff_user(request)),
            now=timezone.now(),
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return file_page(request, file, status=409, letter_form=form)
    if outcome.produced:
        messages.success(request, _("Letter produced and archived; it goes out with its channel."))
    else:
        messages.error(request, _("Letter refused: %(why)s") % {"why": " ".join(outcome.errors)})
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def declare_claim(request: HttpRequest, reference: str) -> HttpResponse:
    """Send the claim declaration to the mediator of a collective debt settlement."""
    file = selectors.access_file_for_staff(reference)
    try:
        outcome = agent_contacts.declare_claim_to_mediator(
            file=file, actor=actor_name(staff_user(request)), now=timezone.now()
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return file_page(request, file, status=409)
    if outcome.produced:
        messages.success(
            request, _("Claim declaration produced, archived and sent to the mediator.")
        )
    else:
        messages.error(request, _("Letter refused: %(why)s") % {"why": " ".join(outcome.errors)})
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def resume(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = ResumeForm(request.POST)
    if not form.is_valid():
        return file_page(request, file, status=400, resume_form=form)
    try:
        state = holds.resume_collection(
            file=file,
            reason=form.cleaned_data["reason"],
            actor=actor_name(staff_user(request)),
            today=timezone.localdate(),
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return file_page(request, file, status=409, resume_form=form)
    messages.success(
        request, _("Collection resumes: the file is now %(state)s.") % {"state": state}
    )
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def acknowledge_debt(request: HttpRequest, reference: str) -> HttpResponse:
    """The debtor acknowledged the file's debt in writing: the claims' prescription clocks
    restart on its date (docs/legal.md, section 8). A claim the daily run found time-barred is
    cleared by the same write; the next run decides again from the dates."""
    file = selectors.access_file_for_staff(reference)
    form = AcknowledgementForm(request.POST, file=file, today=timezone.localdate())
    if not form.is_valid():
        return file_page(request, file, status=400, acknowledgement_form=form)
    count = record_file_acknowledgement(
        file=file,
        document=form.cleaned_data["document"],
        on=form.cleaned_data["on"],
        actor=actor_name(staff_user(request)),
    )
    messages.success(
        request,
        ngettext(
            "Acknowledgement recorded: the prescription of %(count)d invoice restarts.",
            "Acknowledgement recorded: the prescription of %(count)d invoices restarts.",
            count,
        )
        % {"count": count},
    )
    return redirect("backoffice:file", file.reference)
