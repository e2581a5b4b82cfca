"""The statement pages: upload a bank statement, see what waits for an agent, and decide on it.

Behind the back office's own gate (personal sign-in, TOTP, the ``reconcile_payments``
permission: finance staff and supervisors), every form with its CSRF token. Each view parses a
form and calls one write of the payments app (``statement_import``, ``decisions``); the rules
live there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amicable.backoffice.access import actor_name, staff_user, staff_view
from amicable.backoffice.roles import Perm
from amicable.backoffice.statement_forms import (
    MAX_STATEMENT_BYTES,
    AssignForm,
    ReasonForm,
    SplitForm,
    StatementUploadForm,
)
from amicable.files.actions import ActionRefused
from amicable.payments import decisions, selectors
from amicable.payments.statement_import import ImportReport, import_statement
from amicable.security.request_size import accepts_files_up_to
from amicable.statements import StatementError


def _actor(request: HttpRequest) -> str:
    return actor_name(staff_user(request))


@require_http_methods(["GET", "POST"])
@staff_view(Perm.RECONCILE_PAYMENTS)
@accepts_files_up_to(MAX_STATEMENT_BYTES)
def statements_page(request: HttpRequest) -> HttpResponse:
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    error: StatementError | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["statement"]
            try:
                report = import_statement(
                    upload.read(),
                    name=upload.name or "statement",
                    actor=_actor(request),
                    format=form.cleaned_data["format"] or None,
                )
            except StatementError as exc:
                error = exc
                status = 422
        else:
            status = 422
    return render(
        request,
        "backoffice/statements.html",
        {
            "form": form,
            "report": report,
            "error": error,
            "imports": selectors.list_recent_imports(),
            "waiting": selectors.list_waiting_movements(),
            "waiting_total": selectors.count_waiting_movements(),
            "refunds": selectors.list_pending_refunds(),
            "refunds_total": selectors.count_pending_refunds(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.RECONCILE_PAYMENTS)
def movement_page(request: HttpRequest, movement_id: int) -> HttpResponse:
    movement = selectors.get_movement(movement_id)
    if movement is None:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    assign = AssignForm(request.POST if action == "assign" else None, prefix="assign")
    split = SplitForm(request.POST if action == "split" else None, prefix="split")
    refund = ReasonForm(request.POST if action == "refund" else None, prefix="refund")
    dismiss = ReasonForm(request.POST if action == "dismiss" else None, prefix="dismiss")
    actor = _actor(request)
    done: str | None = None
    try:
        if action == "assign" and assign.is_valid():
            file = assign.cleaned_data["file_reference"]
            decisions.assign_movement(movement=movement, file=file, actor=actor)
            done = _("Posted to %(file)s.") % {"file": file.reference}
        elif action == "split" and split.is_valid():
            decisions.split_movement(
                movement=movement, parts=split.cleaned_data["parts"], actor=actor
            )
            done = _("Split over %(count)s files.") % {"count": len(split.cleaned_data["parts"])}
        elif action == "refund" and refund.is_valid():
            created = decisions.mark_for_refund(
                movement=movement, actor=actor, reason=refund.cleaned_data["reason"]
            )
            done = _("To refund with the reference %(reference)s.") % {
                "reference": created.reference
            }
        elif action == "dismiss" and dismiss.is_valid():
            decisions.dismiss_movement(
                movement=movement, actor=actor, reason=dismiss.cleaned_data["reason"]
            )
            done = _("Recorded as concerning no file.")
    except ActionRefused as exc:
        messages.error(request, exc.message)
    if done is not None:
        messages.success(request, done)
        return redirect("backoffice:statements")
    context: dict[str, Any] = {
        "movement": movement,
        "assign": assign,
        "split": split,
        "refund": refund,
        "dismiss": dismiss,
        "assignments": movement.assignments.select_related("file").order_by("id"),
    }
    return render(request, "backoffice/movement.html", context, status=422 if action else 200)
