"""The back office: each view parses its input, calls one service or selector, renders.

Every view but the sign-in steps is wrapped in :func:`amicable.backoffice.access.staff_view`
with the permission it needs; ``tests/backoffice/test_permissions.py`` checks that none is
missing.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from amicable.backoffice import authentication, selectors, services
from amicable.backoffice.access import (
    actor_name,
    is_verified,
    staff_language,
    staff_user,
    staff_view,
)
from amicable.backoffice.charts import bar_chart
from amicable.backoffice.forms import (
    AsOfForm,
    AssignForm,
    CallForm,
    CloseItemForm,
    DisputeForm,
    LetterForm,
    NoteForm,
    PlanAnswerForm,
    PlanForm,
    ProofReviewForm,
    ResumeForm,
    SignInForm,
    TokenForm,
)
from amicable.backoffice.roles import Perm, permission_label
from amicable.domain.contact import ContactPurpose, Recipient
from amicable.domain.lifecycle import AgentAction
from amicable.domain.mentions import LetterKind
from amicable.domain.money import format_eur
from amicable.domain.references import ogm_format
from amicable.files.downloads import serve_document
from amicable.files.ledger import FileBalance
from amicable.files.models import File, WorkItem, WorkItemKind
from amicable.files.timeline import EventKind, record_event
from amicable.letters.models import LetterChannel
from amicable.plans import selectors as plan_selectors
from amicable.plans import services as plan_services
from amicable.plans.models import PaymentPlan, PlanStatus
from amicable.plans.rules import Breach
from amicable.security.client import client_address

# The user who gave the right password and still owes the second factor, and since when.
SESSION_PENDING_USER = "backoffice_pending_user"
SESSION_PENDING_SINCE = "backoffice_pending_since"
#: Time allowed between the password and the second factor.
PENDING_LIFETIME = timedelta(minutes=5)


def _eur(amount: Decimal) -> str:
    """An amount written the way of the staff member's language (not the debtor's)."""
    language = (translation.get_language() or "en")[:2]
    return format_eur(amount, language if language in {"fr", "nl", "de", "en"} else "en")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # The administration signs in here too (amicable.config.admin_site): back there after.
    ours = ("/backoffice/", reverse("admin:index"))
    if candidate.startswith(ours) and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("backoffice:overview")


def _with_next(name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': _next_url(request)})}")


def _pending_user(request: HttpRequest) -> User | None:
    """Who is between the two steps of the sign-in: password given, second factor owed."""
    if request.user.is_authenticated and isinstance(request.user, User):
        return request.user if request.user.is_active else None
    user_id = request.session.get(SESSION_PENDING_USER)
    since = request.session.get(SESSION_PENDING_SINCE)
    if user_id is None or since is None:
        return None
    if timezone.now() - datetime.fromisoformat(since) > PENDING_LIFETIME:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _complete_sign_in(request: HttpRequest, user: User, device: TOTPDevice) -> HttpResponse:
    target = _next_url(request)
    if not request.user.is_authenticated:
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    otp_login(request, device)
    request.session.pop(SESSION_PENDING_USER, None)
    request.session.pop(SESSION_PENDING_SINCE, None)
    record_event(
        None,
        EventKind.STAFF_SIGNED_IN,
        actor=actor_name(user),
        data={"client_ip": client_address(request)},
    )
    return HttpResponseRedirect(target)


def _minutes_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds() / 60))


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the personal password, under the lock-out policy."""
    with translation.override(staff_language(request)):
        form = SignInForm(request.POST or None)
        error = ""
        if request.method == "POST" and form.is_valid():
            result = authentication.check_password(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                client_ip=client_address(request),
                now=timezone.now(),
            )
            if result.user is not None:
                target = _next_url(request)
                # A fresh session: nothing planted before the sign-in survives it.
                request.session.flush()
                request.session[SESSION_PENDING_USER] = result.user.pk
                request.session[SESSION_PENDING_SINCE] = timezone.now().isoformat()
                step = (
                    "backoffice:verify"
                    if authentication.has_totp_device(result.user)
                    else "backoffice:setup"
                )
                return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': target})}")
            if result.retry_at is not None:
                error = _(
                    "Too many unsuccessful attempts: sign-in is blocked for %(minutes)d "
                    "minutes. Ask an administrator if you forgot your password."
                ) % {"minutes": _minutes_until(result.retry_at)}
            else:
                error = _("The user name or the password is not correct.")
        return render(
            request,
            "backoffice/sign_in.html",
            {"form": form, "error": error, "next": _next_url(request)},
            status=400 if error else 200,
        )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: a code from the staff member's authenticator (TOTP)."""
    with translation.override(staff_language(request)):
        user = _pending_user(request)
        if user is None:
            return _with_next("backoffice:login", request)
        if is_verified(request.user):
            return HttpResponseRedirect(_next_url(request))
        if not authentication.has_totp_device(user):
            return _with_next("backoffice:setup", request)
        form = TokenForm(request.POST or None)
        error = ""
        if request.method == "POST" and form.is_valid():
            device = authentication.verify_totp(user=user, token=form.cleaned_data["token"])
            if device is not None:
                return _complete_sign_in(request, user, device)
            record_event(
                None,
                EventKind.STAFF_TWO_FACTOR_FAILED,
                actor=actor_name(user),
                data={"client_ip": client_address(request)},
            )
            error = _(
                "This code is not correct or has expired. Wait for the next code and try again."
            )
        return render(
            request,
            "backoffice/verify.html",
            {"form": form, "error": error, "next": _next_url(request)},
            status=400 if error else 200,
        )


@require_http_methods(["GET", "POST"])
def set_up_two_factor(request: HttpRequest) -> HttpResponse:
    """First sign-in: register an authenticator app, confirmed by a first code from it."""
    with translation.override(staff_language(request)):
        user = _pending_user(request)
        if user is None:
            return _with_next("backoffice:login", request)
        if authentication.has_totp_device(user):
            # A lost authenticator is removed by an administrator, never replaced here.
            return _with_next("backoffice:verify", request)
        device = authentication.totp_device_for_setup(user)
        form = TokenForm(request.POST or None)
        error = ""
        if request.method == "POST" and form.is_valid():
            if authentication.confirm_totp_device(
                device=device, token=form.cleaned_data["token"], actor=actor_name(user)
            ):
                device.refresh_from_db()
                return _complete_sign_in(request, user, device)
            error = _("This code is not correct. Check the clock of your phone and try again.")
        uri = authentication.otpauth_uri(device)
        return render(
            request,
            "backoffice/setup.html",
            {
                "form": form,
                "error": error,
                "next": _next_url(request),
                "qr_svg": authentication.qr_code_svg(uri),
                "secret": authentication.totp_secret(device),
                "otpauth_uri": uri,
            },
            status=400 if error else 200,
        )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        record_event(None, EventKind.STAFF_SIGNED_OUT, actor=actor_name(request.user))
    logout(request)
    return redirect("backoffice:login")


@require_GET
@staff_view(Perm.VIEW_QUEUES)
def overview(request: HttpRequest) -> HttpResponse:
    """The work queues: how many items each holds, how many are late, the oldest one."""
    today = timezone.localdate()
    return render(
        request,
        "backoffice/overview.html",
        {"queues": selectors.queue_overview(today=today), "today": today},
    )


@require_GET
@staff_view(Perm.VIEW_QUEUES)
def queue(request: HttpRequest, kind: str) -> HttpResponse:
    """One queue: its open items, due first; overdue ones flagged in words, not only colour."""
    if kind not in WorkItemKind.values:
        raise Http404
    owner_filter = request.GET.get("owner", "all")
    if owner_filter not in selectors.OWNER_FILTERS:
        owner_filter = "all"
    user = staff_user(request)
    page = selectors.list_queue(
        kind=WorkItemKind(kind),
        owner_filter=owner_filter,
        user=user,
        page=_int(request.GET.get("page")) or 1,
    )
    may_assign = user.has_perm(permission_label(Perm.ASSIGN_WORK))
    return render(
        request,
        "backoffice/queue.html",
        {
            "kind": WorkItemKind(kind),
            "page": page,
            "owner_filter": owner_filter,
            "today": timezone.localdate(),
            "may_work": user.has_perm(permission_label(Perm.WORK_FILES)),
            "may_assign": may_assign,
            "assign_form": AssignForm(staff=selectors.list_assignable_staff())
            if may_assign
            else None,
        },
    )


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() and len(value) < 18 else None


@require_GET
@staff_view(Perm.VIEW_QUEUES)
def work_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_work_item(item_id)
    user = staff_user(request)
    may_assign = user.has_perm(permission_label(Perm.ASSIGN_WORK))
    return render(
        request,
        "backoffice/work_item.html",
        {
            "item": item,
            "today": timezone.localdate(),
            "details": selectors.work_item_details(item),
            "declaration": _declaration(item),
            "may_work": user.has_perm(permission_label(Perm.WORK_FILES)),
            "closed_by_decision": services.closes_by_decision(item),
            "close_form": CloseItemForm(),
            "assign_form": AssignForm(staff=selectors.list_assignable_staff())
            if may_assign
            else None,
        },
    )


def _declaration(item: WorkItem) -> list[tuple[str, str]]:
    """What the debtor declared with a proof of payment on the portal, for the agent to compare
    with the document: each declared part may have been left out ("—")."""
    data = item.data if isinstance(item.data, dict) else {}
    if item.kind != WorkItemKind.PROOF_REVIEW or not data:
        return []
    paid_to = {"agency": _("The agency"), "creditor": _("The creditor")}
    try:
        amount = _eur(Decimal(str(data["amount"])))
    except (KeyError, InvalidOperation, ValueError):
        amount = "—"
    communication = str(data.get("structured_communication") or "")
    if communication.isdigit():
        communication = ogm_format(communication)
    return [
        (_("Paid to"), paid_to.get(str(data.get("paid_to")), "—")),
        (_("Amount"), amount),
        (_("Payment date"), str(data.get("paid_on") or "—")),
        (_("Structured communication"), communication or "—"),
    ]


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target.startswith("/backoffice/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


@require_POST
@staff_view(Perm.WORK_FILES)
def assign_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """Take an item ("assign to me"), or, for a supervisor, give it to a colleague."""
    item = selectors.get_work_item(item_id)
    user = staff_user(request)
    if request.POST.get("take"):
        owner: User | None = user
    else:
        form = AssignForm(request.POST, staff=selectors.list_assignable_staff())
        if not form.is_valid():
            messages.error(request, _("Choose a colleague who works on files."))
            return _back(request, reverse("backoffice:item", args=[item.pk]))
        owner = form.cleaned_data["owner"]
    try:
        services.assign_work_item(item=item, owner=owner, acting_user=user)
    except services.BackofficeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Assigned to %(name)s.") % {"name": owner.username}
            if owner
            else _("Put back in the queue."),
        )
    return _back(request, reverse("backoffice:item", args=[item.pk]))


@require_POST
@staff_view(Perm.WORK_FILES)
def close_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_work_item(item_id)
    form = CloseItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done."))
        return redirect("backoffice:item", item.pk)
    try:
        services.close_work_item(
            item=item,
            outcome=form.cleaned_data["outcome"],
            acting_user=staff_user(request),
            now=timezone.now(),
        )
    except services.BackofficeError as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:item", item.pk)
    messages.success(request, _("Item closed."))
    return redirect("backoffice:queue", item.kind)


@require_POST
@staff_view(Perm.WORK_FILES)
def requeue_letter(request: HttpRequest, item_id: int) -> HttpResponse:
    """A refused letter, once corrected, goes back to the letters batch."""
    item = selectors.get_work_item(item_id)
    try:
        services.requeue_refused_letter(
            item=item,
            acting_user=staff_user(request),
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except services.BackofficeError as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:item", item.pk)
    messages.success(request, _("The letter is queued again; the letters batch checks it anew."))
    return redirect("backoffice:queue", item.kind)


# --- the file -----------------------------------------------------------------------------------


def _file_page(
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
    proof_forms: dict[int, ProofReviewForm] | None = None,
) -> HttpResponse:
    as_of_form = AsOfForm(request.GET or None)
    today = timezone.localdate()
    as_of = (as_of_form.cleaned_data.get("as_of") if as_of_form.is_valid() else None) or today
    view = selectors.get_file_view(file, as_of=as_of)
    user = staff_user(request)
    may_work = user.has_perm(permission_label(Perm.WORK_FILES))
    proof_forms = proof_forms or {}
    declarations = {
        item.document_id: _declaration(item)
        for item in view.open_items
        if item.document_id is not None
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
            "may_assign": user.has_perm(permission_label(Perm.ASSIGN_WORK)),
            "can": {action.value: may_work and action in view.actions for action in AgentAction},
            "note_form": note_form or NoteForm(),
            "call_form": call_form or CallForm(),
            "dispute_form": dispute_form or DisputeForm(file=file),
            "plan_form": plan_form or PlanForm(),
            "letter_form": letter_form or LetterForm(),
            "resume_form": resume_form or ResumeForm(),
            "resume_to": services.resume_state(file)
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
        (_("Balance on the day of the request"), _eur(plan.total)),
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
    return [(str(label), _eur(amount)) for label, amount in rows]


@require_GET
@staff_view(Perm.VIEW_FILES)
def file_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Parties, claims, balance as of any day, ledger, documents, timeline, and the actions."""
    return _file_page(request, selectors.access_file_for_staff(reference))


@require_GET
@staff_view(Perm.VIEW_FILES)
def document(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    """A document of the file: an image shown in a sandbox, anything else (a PDF too) as a
    download, so that nothing in an upload runs in the agent's session (files.downloads)."""
    file = selectors.access_file_for_staff(reference)
    doc = selectors.access_document_for_staff(file, document_id)
    return serve_document(doc, images_inline=True)


@require_POST
@staff_view(Perm.WORK_FILES)
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(
                file=file, text=form.cleaned_data["text"], acting_user=staff_user(request)
            )
        except services.BackofficeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Note added."))
            return redirect("backoffice:file", file.reference)
    return _file_page(request, file, status=400, note_form=form)


@require_POST
@staff_view(Perm.WORK_FILES)
def log_call(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = CallForm(request.POST)
    if not form.is_valid():
        return _file_page(request, file, status=400, call_form=form)
    try:
        attempt = services.log_call(
            file=file,
            recipient=Recipient(form.cleaned_data["recipient"]),
            purpose=ContactPurpose(form.cleaned_data["purpose"]),
            note=form.cleaned_data["note"],
            acting_user=staff_user(request),
            now=timezone.now(),
        )
    except services.BackofficeError as exc:
        messages.error(request, exc.message)
        return _file_page(request, file, status=409, call_form=form)
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
        return _file_page(request, file, status=400, proof_forms={doc.pk: form})
    try:
        services.review_proof(
            document=doc,
            accepted=form.cleaned_data["decision"] == "accept",
            reason=form.rejection_reason(),
            note_for_debtor=form.cleaned_data["note_for_debtor"],
            payment=form.payment(),
            acting_user=staff_user(request),
            now=timezone.now(),
        )
    except services.BackofficeError as exc:
        messages.error(request, exc.message)
        return _file_page(request, file, status=409, proof_forms={doc.pk: form})
    messages.success(request, _("Decision recorded; the debtor is told."))
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def resolve_dispute(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = DisputeForm(request.POST, file=file)
    if not form.is_valid():
        return _file_page(request, file, status=400, dispute_form=form)
    try:
        services.resolve_dispute(
            file=file,
            outcome=services.DisputeOutcome(form.cleaned_data["outcome"]),
            explanation=form.cleaned_data["explanation"],
            reductions=form.reductions(),
            acting_user=staff_user(request),
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except services.BackofficeError as exc:
        messages.error(request, exc.message)
        return _file_page(request, file, status=409, dispute_form=form)
    messages.success(request, _("Dispute resolved; the debtor is told."))
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def agree_plan(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _file_page(request, file, status=400, plan_form=form)
    try:
        plan = services.agree_payment_plan(
            file=file,
            instalment_count=form.cleaned_data["instalment_count"],
            first_due_on=form.cleaned_data["first_due_on"],
            note=form.cleaned_data["note"],
            acting_user=staff_user(request),
            today=timezone.localdate(),
        )
    except services.BackofficeError as exc:
        messages.error(request, exc.message)
        return _file_page(request, file, status=409, plan_form=form)
    messages.success(
        request,
        _("Payment plan agreed: %(count)d instalments on %(total)s.")
        % {"count": plan.instalment_count, "total": _eur(plan.total)},
    )
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def answer_plan(request: HttpRequest, reference: str) -> HttpResponse:
    """Agree to a plan request outside the rules, as asked or changed, or refuse it."""
    file = selectors.access_file_for_staff(reference)
    form = PlanAnswerForm(request.POST)
    if not form.is_valid():
        return _file_page(request, file, status=400, plan_answer_form=form)
    plan = plan_selectors.get_open_plan(file)
    actor = actor_name(staff_user(request))
    try:
        if plan is None or plan.status != PlanStatus.REQUESTED:
            raise plan_services.PlanError(_("This payment plan request was already answered."))
        if form.cleaned_data["decision"] == "agree":
            plan = plan_services.agree_plan_request(
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
            plan_services.refuse_plan_request(
                plan=plan,
                reason=refusal,
                note_for_debtor=form.cleaned_data["note_for_debtor"],
                actor=actor,
                today=timezone.localdate(),
                now=timezone.now(),
            )
    except plan_services.PlanError as exc:
        messages.error(request, str(exc))
        return _file_page(request, file, status=409, plan_answer_form=form)
    if plan.status == PlanStatus.ACTIVE:
        messages.success(
            request,
            _("Payment plan agreed: %(count)d instalments on %(total)s.")
            % {"count": plan.instalment_count, "total": _eur(plan.total)},
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
        return _file_page(request, file, status=400, letter_form=form)
    try:
        outcome = services.send_letter(
            file=file,
            kind=LetterKind(form.cleaned_data["kind"]),
            channel=LetterChannel(form.cleaned_data["channel"]),
            acting_user=staff_user(request),
            now=timezone.now(),
        )
    except services.BackofficeError as exc:
        messages.error(request, exc.message)
        return _file_page(request, file, status=409, letter_form=form)
    if outcome.produced:
        messages.success(request, _("Letter produced and archived; it goes out with its channel."))
    else:
        messages.error(request, _("Letter refused: %(why)s") % {"why": " ".join(outcome.errors)})
    return redirect("backoffice:file", file.reference)


@require_POST
@staff_view(Perm.WORK_FILES)
def resume(request: HttpRequest, reference: str) -> HttpResponse:
    file = selectors.access_file_for_staff(reference)
    form = ResumeForm(request.POST)
    if not form.is_valid():
        return _file_page(request, file, status=400, resume_form=form)
    try:
        state = services.resume_collection(
            file=file,
            reason=form.cleaned_data["reason"],
            acting_user=staff_user(request),
            today=timezone.localdate(),
        )
    except services.BackofficeError as exc:
        messages.error(request, exc.message)
        return _file_page(request, file, status=409, resume_form=form)
    messages.success(
        request, _("Collection resumes: the file is now %(state)s.") % {"state": state}
    )
    return redirect("backoffice:file", file.reference)


# --- search, dashboard, compliance --------------------------------------------------------------


@require_GET
@staff_view(Perm.VIEW_FILES)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    hits = selectors.search_files(query)
    if len(hits) == 1 and hits[0].matched_on in {"file number", "structured communication"}:
        return redirect("backoffice:file", hits[0].file.reference)
    return render(request, "backoffice/search.html", {"query": query, "hits": hits})


@require_GET
@staff_view(Perm.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Open files by state, money collected per creditor, queue sizes and ages, as charts."""
    today = timezone.localdate()
    data = selectors.dashboard(today=today)
    charts = {
        "states": bar_chart(
            title=_("Open files by state"),
            rows=[(state.value.replace("_", " "), n, str(n)) for state, n in data.files_by_state],
        ),
        "week": bar_chart(
            title=_("Collected this week, per creditor"),
            rows=[(c.creditor, c.this_week, _eur(c.this_week)) for c in data.collected],
        ),
        "month": bar_chart(
            title=_("Collected this month, per creditor"),
            rows=[(c.creditor, c.this_month, _eur(c.this_month)) for c in data.collected],
        ),
        "queues": bar_chart(
            title=_("Open items per queue"),
            rows=[(q.label, q.open_items, str(q.open_items)) for q in data.queues],
        ),
        "ages": bar_chart(
            title=_("Age of the oldest open item, in days"),
            rows=[
                (q.label, age, str(age))
                for q in data.queues
                if (age := q.oldest_age_days(today)) is not None
            ],
        ),
    }
    return render(request, "backoffice/dashboard.html", {"data": data, "charts": charts})


@require_GET
@staff_view(Perm.VIEW_AUDIT)
def audit(request: HttpRequest) -> HttpResponse:
    """Every action with who did it (docs/architecture.md, invariant 4), newest first."""
    filters = {
        "actor": request.GET.get("actor", "").strip()[:100],
        "kind": request.GET.get("kind", "").strip()[:40],
        "file_reference": request.GET.get("file", "").strip()[:20],
    }
    page = selectors.list_audit_events(**filters, before=_int(request.GET.get("before")))
    return render(request, "backoffice/audit.html", {"page": page, "filters": filters})


@require_GET
@staff_view(Perm.VIEW_AUDIT)
def refused_contacts(request: HttpRequest) -> HttpResponse:
    """The calls the contact rules refused (docs/legal.md, section 4), newest first."""
    attempts = selectors.list_refused_contacts(before=_int(request.GET.get("before")))
    return render(request, "backoffice/refused_contacts.html", {"attempts": attempts})
