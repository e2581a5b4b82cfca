"""An agent confirms or denies, from the documents, that a damages clause is reciprocal.

A file that held a lump-sum indemnity before the creditor's declaration existed has a work item
``reciprocity_review`` (opened by migration ``files.0012``). CEL art. VI.83, 17° voids a clause
that gives the consumer no indemnity of the same order for the enterprise's own failure, so:

- "reciprocal": the declaration is recorded (who, when) and the indemnity booked stays; charging
  continues as for any declared clause;
- "not reciprocal": the declaration is recorded and the ledger reverses the indemnity booked
  (a reversal entry, never a deletion); what the debtor paid on it is applied again.

The item closes with the decision, never by hand (``assignment.closes_by_decision``).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from amicable.domain.law import ARTICLE_RECIPROCITY, Reciprocity
from amicable.files import ledger
from amicable.files.actions import ActionRefused
from amicable.files.models import Claim, WorkItem, WorkItemKind, WorkItemStatus
from amicable.files.reciprocity import declare_reciprocity
from amicable.files.timeline import EventKind, record_event
from amicable.files.work_queue import close_items

__all__ = ["decide_reciprocity", "review_claims"]


def review_claims(item: WorkItem) -> list[Claim]:
    """The claims whose damages clause ``item`` asks about."""
    ids = item.data.get("claims") if isinstance(item.data, dict) else None
    if item.file_id is None or not isinstance(ids, list):
        return []
    return list(Claim.objects.filter(file_id=item.file_id, pk__in=ids).order_by("due_date", "pk"))


@transaction.atomic
def decide_reciprocity(
    *, item: WorkItem, reciprocal: bool, actor: str, now: datetime, today: date
) -> WorkItem:
    """Record the agent's reading of the general terms and book what follows from it."""
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    if item.kind != WorkItemKind.RECIPROCITY_REVIEW or item.file is None:
        raise ActionRefused(_("This item does not ask about a damages clause."))
    if item.status != WorkItemStatus.OPEN:
        raise ActionRefused(_("This item is already closed."))
    claims = review_claims(item)
    declared = Reciprocity.RECIPROCAL if reciprocal else Reciprocity.NOT_RECIPROCAL
    declare_reciprocity(file=item.file, claims=claims, reciprocity=declared, actor=actor, now=now)
    if reciprocal:
        outcome = f"Damages clause confirmed reciprocal from the documents ({ARTICLE_RECIPROCITY})."
    else:
        ledger.reverse_indemnities(
            claims=claims,
            on=today,
            actor=actor,
            reason=(
                "Damages clause not reciprocal: abusive and without effect "
                f"({ARTICLE_RECIPROCITY}); the indemnity booked on it is reversed."
            ),
        )
        outcome = (
            f"Damages clause found not reciprocal ({ARTICLE_RECIPROCITY}): the indemnity is "
            "reversed."
        )
    close_items(WorkItem.objects.filter(pk=item.pk), outcome=outcome, actor=actor, now=now)
    item.refresh_from_db()
    record_event(
        item.file,
        EventKind.WORK_ITEM_CLOSED,
        actor=actor,
        message=outcome,
        data={"work_item": item.pk, "kind": item.kind},
    )
    return item
