"""What is declared of a damages clause: reciprocal or not (CEL art. VI.83, 17°).

The creditor declares it at hand-over (``amicable.files.services``); for a clause handed over
before the declaration existed, an agent declares it from the general terms
(``amicable.work_items.reciprocity``). Either way the claim keeps who declared it and when, and
the timeline says so: the one writer of these columns after hand-over.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from amicable.domain.law import ARTICLE_RECIPROCITY, Reciprocity
from amicable.files.models import Claim, File
from amicable.files.timeline import EventKind, record_event

__all__ = ["declare_reciprocity"]


def declare_reciprocity(
    *, file: File, claims: Sequence[Claim], reciprocity: Reciprocity, actor: str, now: datetime
) -> int:
    """Record ``reciprocity`` for the damages clause of ``claims`` (of ``file``), by ``actor``
    at ``now``; returns how many claims were updated. The booking that follows (an indemnity
    kept, or reversed) is the ledger's."""
    updated = Claim.objects.filter(
        file=file, pk__in=[claim.pk for claim in claims], indemnity_clause=True
    ).update(
        indemnity_reciprocity=reciprocity.value,
        reciprocity_declared_by=actor[:100],
        reciprocity_declared_at=now,
    )
    record_event(
        file,
        EventKind.RECIPROCITY_DECLARED,
        actor=actor,
        message=f"Damages clause declared {reciprocity.value.replace('_', ' ')} "
        f"({ARTICLE_RECIPROCITY}).",
        data={
            "claims": [claim.creditor_reference for claim in claims],
            "reciprocity": reciprocity.value,
            "article": ARTICLE_RECIPROCITY,
        },
    )
    return updated
