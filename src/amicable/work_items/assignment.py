"""Who works an item of the agents' queues, and how an item closes.

An item is taken, given or put back (:func:`assign_work_item`); who may give an item to a
colleague is the back office's decision (``amicable.backoffice.access``), which tells this module
whether the item must still be free. An item closes by hand with what was done
(:func:`close_work_item`), except an item that closes only with the decision it calls for
(:func:`closes_by_decision`).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from amicable.domain.lifecycle import FileState
from amicable.files.actions import ActionRefused
from amicable.files.models import (
    ReviewStatus,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.timeline import EventKind, record_event
from amicable.files.work_queue import close_items
from amicable.plans.models import PaymentPlan, PlanStatus

__all__ = ["assign_work_item", "close_work_item", "closes_by_decision"]


@transaction.atomic
def assign_work_item(
    *, item: WorkItem, owner: User | None, actor: str, only_if_free: bool
) -> WorkItem:
    """Give an open item to ``owner`` (``None``: back to the queue).

    With ``only_if_free`` (an agent taking an item for themselves), the item must have no owner
    yet. Taking is a conditional UPDATE, so two agents clicking at once cannot both get the
    item.
    """
    items = WorkItem.objects.filter(pk=item.pk, status=WorkItemStatus.OPEN)
    if only_if_free:
        items = items.filter(owner__isnull=True)
    if items.update(owner=owner) != 1:
        item.refresh_from_db()
        if item.status != WorkItemStatus.OPEN:
            raise ActionRefused(_("This item is already closed."))
        raise ActionRefused(
            _("This item was taken by %(name)s in the meantime.")
            % {"name": item.owner.username if item.owner else "?"}
        )
    item.refresh_from_db()
    record_event(
        item.file,
        EventKind.WORK_ITEM_ASSIGNED,
        actor=actor,
        data={
            "work_item": item.pk,
            "kind": item.kind,
            "owner": owner.username if owner else None,
        },
    )
    return item


def closes_by_decision(item: WorkItem) -> bool:
    """Whether ``item`` closes only with the decision it calls for, never by hand.

    A proof still waiting for its review is closed by accepting or rejecting it
    (``proofs.review.review_proof``), a dispute that holds its file by resolving it
    (``disputes.resolution.resolve_dispute``): that way the debtor is always told the outcome.
    A proof that a bank movement confirmed, or a dispute raised on a file that did not move
    (paid, or in a debt mediation), is closed by hand with what was done. A payment plan request
    closes by agreeing or refusing it (``plans.answers``). A damages clause to confirm as
    reciprocal closes by deciding on it (``work_items.reciprocity``).
    """
    if item.kind == WorkItemKind.PROOF_REVIEW and item.document is not None:
        return item.document.review_status == ReviewStatus.PENDING
    if item.kind == WorkItemKind.DISPUTE and item.file is not None:
        return item.file.file_state == FileState.DISPUTED
    claims = item.data.get("claims") if isinstance(item.data, dict) else None
    if item.kind == WorkItemKind.RECIPROCITY_REVIEW and claims:
        # Closed by confirming or denying the clauses it lists (work_items.reciprocity), so
        # that the indemnity booked is kept or reversed with it.
        return item.status == WorkItemStatus.OPEN
    plan_id = item.data.get("plan_id") if isinstance(item.data, dict) else None
    if item.kind == WorkItemKind.PAYMENT_PLAN_REQUEST and isinstance(plan_id, int):
        return PaymentPlan.objects.filter(pk=plan_id, status=PlanStatus.REQUESTED).exists()
    return False


@transaction.atomic
def close_work_item(*, item: WorkItem, outcome: str, actor: str, now: datetime) -> WorkItem:
    """Mark an item done with what was done about it (see :func:`closes_by_decision`)."""
    if closes_by_decision(item):
        raise ActionRefused(_("This item is closed by deciding on it from the file."))
    if not outcome.strip():
        raise ActionRefused(_("Say what was done."))
    if close_items(WorkItem.objects.filter(pk=item.pk), outcome=outcome, actor=actor, now=now) != 1:
        raise ActionRefused(_("This item is already closed."))
    item.refresh_from_db()
    record_event(
        item.file,
        EventKind.WORK_ITEM_CLOSED,
        actor=actor,
        message=outcome,
        data={"work_item": item.pk, "kind": item.kind},
    )
    return item
