"""Closing the agents' work items: each with what was done about it, by whom and when.

Every concept that answers an item (a proof reviewed or confirmed by the bank, a dispute
resolved, a plan request answered, a bank movement decided, an item closed by hand) closes it
here, so an item closes once, and always the same way.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from amicable.files.models import WorkItem, WorkItemStatus

__all__ = ["OUTCOME_LENGTH", "close_items"]

#: What is kept of an outcome (``WorkItem.outcome``).
OUTCOME_LENGTH = 500


def close_items(items: QuerySet[WorkItem], *, outcome: str, actor: str, now: datetime) -> int:
    """Close the items of ``items`` still open with ``outcome``; returns how many closed.

    An item closed meanwhile (by a colleague, or by the decision that answered it) is left as
    it is: the count tells the caller.
    """
    return items.filter(status=WorkItemStatus.OPEN).update(
        status=WorkItemStatus.DONE, outcome=outcome[:OUTCOME_LENGTH], closed_by=actor, closed_at=now
    )
