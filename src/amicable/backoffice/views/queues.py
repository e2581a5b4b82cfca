"""The work queues: what waits for the agents, one item at a time, and who takes it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amicable.backoffice import selectors
from amicable.backoffice.access import (
    actor_name,
    assignment_rule,
    may,
    staff_user,
    staff_view,
    staff_who_may,
)
from amicable.backoffice.forms import AssignForm, CloseItemForm
from amicable.backoffice.presenters import declaration_rows
from amicable.backoffice.roles import Perm
from amicable.backoffice.views.navigation import back, query_int
from amicable.files.actions import ActionRefused
from amicable.files.models import WorkItemKind
from amicable.letters.agent_contacts import requeue_refused_letter
from amicable.proofs.queue import listed_proofs
from amicable.work_items.assignment import assign_work_item, close_work_item, closes_by_decision
from amicable.work_items.reciprocity import decide_reciprocity, review_claims

__all__ = [
    "assign_item",
    "close_item",
    "decide_clause",
    "overview",
    "queue",
    "requeue_letter",
    "work_item",
]


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
        page=query_int(request.GET.get("page")) or 1,
    )
    may_assign = may(user, Perm.ASSIGN_WORK)
    return render(
        request,
        "backoffice/queue.html",
        {
            "kind": WorkItemKind(kind),
            "page": page,
            "owner_filter": owner_filter,
            "today": timezone.localdate(),
            "may_work": may(user, Perm.WORK_FILES),
            "may_assign": may_assign,
            "assign_form": AssignForm(staff=staff_who_may(Perm.WORK_FILES)) if may_assign else None,
        },
    )


@require_GET
@staff_view(Perm.VIEW_QUEUES)
def work_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_work_item(item_id)
    user = staff_user(request)
    may_assign = may(user, Perm.ASSIGN_WORK)
    return render(
        request,
        "backoffice/work_item.html",
        {
            "item": item,
            "today": timezone.localdate(),
            "details": selectors.work_item_details(item),
            # Every proof of a review item, with what the debtor declared with it.
            "proofs": [
                (document, declaration_rows(declared))
                for document, declared in (
                    listed_proofs(item) if item.kind == WorkItemKind.PROOF_REVIEW else []
                )
            ],
            "may_work": may(user, Perm.WORK_FILES),
            # The clauses an agent confirms or denies as reciprocal (CEL art. VI.83, 17°).
            "review_claims": (
                review_claims(item) if item.kind == WorkItemKind.RECIPROCITY_REVIEW else []
            ),
            "closed_by_decision": closes_by_decision(item),
            "close_form": CloseItemForm(),
            "assign_form": AssignForm(staff=staff_who_may(Perm.WORK_FILES)) if may_assign else None,
        },
    )


@require_POST
@staff_view(Perm.WORK_FILES)
def assign_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """Take an item ("assign to me"), or, for a supervisor, give it to a colleague."""
    item = selectors.get_work_item(item_id)
    user = staff_user(request)
    if request.POST.get("take"):
        owner: User | None = user
    else:
        form = AssignForm(request.POST, staff=staff_who_may(Perm.WORK_FILES))
        if not form.is_valid():
            messages.error(request, _("Choose a colleague who works on files."))
            return back(request, reverse("backoffice:item", args=[item.pk]))
        owner = form.cleaned_data["owner"]
    try:
        only_if_free = assignment_rule(acting_user=user, owner=owner)
        assign_work_item(item=item, owner=owner, actor=actor_name(user), only_if_free=only_if_free)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Assigned to %(name)s.") % {"name": owner.username}
            if owner
            else _("Put back in the queue."),
        )
    return back(request, reverse("backoffice:item", args=[item.pk]))


@require_POST
@staff_view(Perm.WORK_FILES)
def close_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_work_item(item_id)
    form = CloseItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done."))
        return redirect("backoffice:item", item.pk)
    try:
        close_work_item(
            item=item,
            outcome=form.cleaned_data["outcome"],
            actor=actor_name(staff_user(request)),
            now=timezone.now(),
        )
    except ActionRefused as exc:
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
        requeue_refused_letter(
            item=item,
            actor=actor_name(staff_user(request)),
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:item", item.pk)
    messages.success(request, _("The letter is queued again; the letters batch checks it anew."))
    return redirect("backoffice:queue", item.kind)


@require_POST
@staff_view(Perm.WORK_FILES)
def decide_clause(request: HttpRequest, item_id: int) -> HttpResponse:
    """The agent's reading of the general terms: the damages clause is reciprocal (the
    indemnity booked stays) or not (the ledger reverses it), CEL art. VI.83, 17°."""
    item = selectors.get_work_item(item_id)
    decision = request.POST.get("decision")
    if decision not in ("reciprocal", "not_reciprocal"):
        messages.error(request, _("Say whether the clause is reciprocal."))
        return redirect("backoffice:item", item.pk)
    try:
        decide_reciprocity(
            item=item,
            reciprocal=decision == "reciprocal",
            actor=actor_name(staff_user(request)),
            now=timezone.now(),
            today=timezone.localdate(),
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:item", item.pk)
    messages.success(
        request,
        _("Clause confirmed reciprocal: the indemnity stays.")
        if decision == "reciprocal"
        else _("Clause not reciprocal: the indemnity is reversed."),
    )
    return redirect("backoffice:queue", item.kind)
