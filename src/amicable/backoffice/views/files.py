"""A file as the agents see it: parties, claims, balance on any day, ledger, documents,
timeline, and the forms of the decisions open on it."""

from __future__ import annotations

from datetime import date

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from amicable.backoffice import selectors
from amicable.backoffice.access import actor_name, may, staff_user, staff_view
from amicable.backoffice.forms import (
    AcknowledgementForm,
    AsOfForm,
    CallForm,
    DisputeForm,
    LetterForm,
    NoteForm,
    PlanAnswerForm,
    PlanForm,
    ProofReviewForm,
    ResumeForm,
)
from amicable.backoffice.presenters import declaration_rows, eur
from amicable.backoffice.roles import Perm
from amicable.disputes.holds import resumption
from amicable.disputes.selectors import list_disputes
from amicable.domain.lifecycle import AgentAction
from amicable.domain.references import ogm_format
from amicable.files.downloads import serve_document
from amicable.files.ledger import FileBalance
from amicable.files.models import File, WorkItemKind
from amicable.plans.models import PaymentPlan, PlanStatus
from amicable.plans.rules import Breach
from amicable.privacy.reads import record_file_read
from amicable.proofs.queue import declared_proofs

__all__ = ["document", "file_detail", "file_page"]


def file_page(
    request: HttpRequest,
    file: File,
    *,
    status: int = 200,
    note_form: NoteForm | None = None,
    call_form: CallForm | None = None,
    dispute_form: DisputeForm | None = None,
    plan_form: PlanForm | None = None,
    plan_answer_form: PlanAnswerForm | None = None,
    letter_form: LetterForm | None = None,
    resume_form: ResumeForm | None = None,
    acknowledgement_form: AcknowledgementForm | None = None,
    proof_forms: dict[int, ProofReviewForm] | None = None,
) -> HttpResponse:
    as_of_form = AsOfForm(request.GET or None)
    today = timezone.localdate()
    as_of = (as_of_form.cleaned_data.get("as_of") if as_of_form.is_valid() else None) or today
    view = selectors.get_file_view(file, as_of=as_of)
    user = staff_user(request)
    record_file_read(actor=actor_name(user), file=file, at=timezone.now())
    may_work = may(user, Perm.WORK_FILES)
    proof_forms = proof_forms or {}
    declarations = {
        document_id: declaration_rows(data)
        for item in view.open_items
        if item.kind == WorkItemKind.PROOF_REVIEW
        for document_id, data in declared_proofs(item).items()
    }
    return render(
        request,
        "backoffice/file.html",
        {
            "view": view,
            "file": file,
            "today": today,
            "as_of_form": as_of_form,
            "language": file.debtor.language,
            "may_work": may_work,
            "may_assign": may(user, Perm.ASSIGN_WORK),
            "can": {action.value: may_work and action in view.actions for action in AgentAction},
            "note_form": note_form or NoteForm(),
            "call_form": call_form or CallForm(),
            "dispute_form": dispute_form or DisputeForm(file=file),
            "disputes": list_disputes(file),
            "plan_form": plan_form or PlanForm(),
            "letter_form": letter_form or LetterForm(),
            "resume_form": resume_form or ResumeForm(),
            "acknowledgement_form": acknowledgement_form
            or AcknowledgementForm(file=file, today=today),
            "resume_to": resumption(file, today=today)
            if AgentAction.RESUME in view.actions
            else None,
            "open_plan": view.open_plan,
            **_plan_request(view.open_plan, form=plan_answer_form, today=today),
            "proofs": [
                (
                    d,
                    proof_forms.get(d.pk) or ProofReviewForm(initial=view.declared.get(d.pk, {})),
                    declarations.get(d.pk, []),
                )
                for d in view.pending_proofs
            ],
            "balance_rows": _balance_rows(view.balance),
            "communication": ogm_format(file.structured_communication),
        },
        status=status,
    )


#: Why a request went to an agent (``plans.rules.Breach``), in the staff member's words.
BREACH_LABELS = {
    Breach.TOO_MANY_INSTALMENTS.value: gettext_lazy("more instalments than the rules allow"),
    Breach.INSTALMENT_TOO_SMALL.value: gettext_lazy("instalments below the minimum"),
    Breach.FIRST_DUE_TOO_LATE.value: gettext_lazy("first instalment too late"),
    Breach.FILE_STAGE.value: gettext_lazy("the file's stage"),
}


def _plan_request(
    plan: PaymentPlan | None, *, form: PlanAnswerForm | None, today: date
) -> dict[str, object]:
    """The request waiting for an agent's answer, if any, and the form to answer it with (the
    instalments asked for filled in, the first date only while it is still to come)."""
    if plan is None or plan.status != PlanStatus.REQUESTED:
        return {"plan_request": None}
    breaches = [str(BREACH_LABELS.get(str(b), b)) for b in plan.breaches]
    facts = [
        (_("Instalments asked for"), str(plan.instalment_count)),
        (_("First instalment asked for"), plan.first_due_on.isoformat()),
        (_("Balance on the day of the request"), eur(plan.total)),
        (_("Outside the agency's rules"), ", ".join(breaches) or "—"),
        (_("Debtor's note"), plan.note or "—"),
    ]
    initial = {
        "instalment_count": plan.instalment_count,
        "first_due_on": plan.first_due_on if plan.first_due_on >= today else None,
    }
    return {
        "plan_request": plan,
        "plan_request_facts": facts,
        "plan_answer_form": form or PlanAnswerForm(initial=initial),
    }


def _balance_rows(balance: FileBalance) -> list[tuple[str, str]]:
    rows = [
        (_("Principal"), balance.principal),
        (_("Lump-sum indemnity"), balance.indemnity),
        (_("Interest booked"), balance.interest_booked),
        (_("Interest accrued, not booked"), balance.interest_accrued),
        (_("Reminder costs"), balance.reminder_costs),
        (_("Paid (agency and creditor)"), balance.paid),
        (_("Credit to refund"), balance.credit),
        (_("Outstanding"), balance.outstanding),
    ]
    return [(str(label), eur(amount)) for label, amount in rows]


@require_GET
@staff_view(Perm.VIEW_FILES)
def file_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Parties, claims, balance as of any day, ledger, documents, timeline, and the actions."""
    return file_page(request, selectors.access_file_for_staff(reference))


@require_GET
@staff_view(Perm.VIEW_FILES)
def document(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    """A document of the file: an image shown in a sandbox, anything else (a PDF too) as a
    download, so that nothing in an upload runs in the agent's session (files.downloads)."""
    file = selectors.access_file_for_staff(reference)
    doc = selectors.access_document_for_staff(file, document_id)
    actor = actor_name(staff_user(request))
    record_file_read(actor=actor, file=file, document=doc, at=timezone.now())
    return serve_document(doc, images_inline=True)
