"""A letter that was not sent: on the timeline and in the agents' work queue, with every reason.

A letter may be stopped before it exists (the contact guard, a missing mention, a figure above
a cap: CEL art. XIX.2, XIX.4, XIX.7 §2, docs/legal.md, section 4) or after (an e-mail refused at
sending time, failed for good, or bounced). Either way an agent must know, with the items
named, and a queued letter must not count as sent: its request is marked refused through the
workflow (:func:`amicable.workflow.services.record_letter_refused`, which also takes back the
sending day of a first reminder, so that no 14-day period runs on a letter nobody received).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction

from amicable.domain.mentions import LetterKind
from amicable.files.models import File, WorkItem, WorkItemKind, WorkItemStatus
from amicable.files.timeline import EventKind, record_event
from amicable.workflow.letter_queue import record_letter_refused
from amicable.workflow.models import LetterRequest, LetterStatus

__all__ = ["record_letter_not_sent"]

_TITLES = {
    LetterKind.FIRST_REMINDER: "Free first reminder",
    LetterKind.FORMAL_NOTICE: "Formal notice",
    LetterKind.FOLLOW_UP_REMINDER: "Follow-up reminder",
    LetterKind.PAYMENT_PLAN_CONFIRMATION: "Payment plan confirmation",
    LetterKind.PROOF_DECISION: "Decision on a proof of payment",
    LetterKind.DISPUTE_ACKNOWLEDGEMENT: "Dispute acknowledgement",
    LetterKind.DISPUTE_OUTCOME: "Dispute outcome",
    LetterKind.STATEMENT_OF_ACCOUNT: "Statement of account",
    LetterKind.MEDIATOR_CLAIM_DECLARATION: "Claim declaration to the mediator",
}


@transaction.atomic
def record_letter_not_sent(
    *,
    file: File,
    kind: LetterKind,
    errors: Sequence[str],
    actor: str,
    on: date,
    request: LetterRequest | None = None,
    what: str = "refused",
    extra: dict[str, Any] | None = None,
) -> WorkItem | None:
    """Put a letter that was not sent on the timeline and in the work queue; returns the item.

    ``errors`` name every item (each missing mention with its article, each figure rule
    broken, the guard's refusal). ``what`` says what happened (``refused``, ``e-mail failed``,
    ``e-mail bounced``) in the work item's title.
    """
    reason = " ".join(errors) or what
    data: dict[str, Any] = {"kind": kind.value, "errors": list(errors), **(extra or {})}
    if request is not None:
        request = LetterRequest.objects.get(pk=request.pk)
        if request.status == LetterStatus.PENDING:
            record_letter_refused(request_id=request.pk, reason=reason, actor=actor, on=on)
            item = (
                WorkItem.objects.filter(
                    file=file, kind=WorkItemKind.LETTER_REFUSED, status=WorkItemStatus.OPEN
                )
                .order_by("-pk")
                .first()
            )
            if item is not None and item.data.get("letter_request") == request.pk:
                # The workflow's item names the request; add every reason, not just the title.
                item.data = {**item.data, **data}
                item.save(update_fields=["data"])
                return item
            return None
        data["letter_request"] = request.pk
    event = EventKind.LETTER_REFUSED if what == "refused" else EventKind.LETTER_NOT_DELIVERED
    record_event(file, event, actor=actor, message=reason, data=data)
    return WorkItem.objects.create(
        kind=WorkItemKind.LETTER_REFUSED,
        file=file,
        title=f"{_TITLES[kind]} {what}: {reason}"[:200],
        due_on=on,
        data=data,
    )
