"""What becomes of each bank movement: its outcome, written to its row at the end of an import,
and the agents' queue of the movements left to them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from amicable.domain.calendar import add_working_days
from amicable.domain.money import ZERO
from amicable.files.models import WorkItem, WorkItemKind
from amicable.files.work_queue import close_items
from amicable.payments.models import BankMovementRecord, MatchMethod, MovementStatus
from amicable.statements import BankMovement

__all__ = [
    "UNMATCHED_DUE_WORKING_DAYS",
    "Outcome",
    "close_queue_items",
    "queue_unmatched",
    "write_outcomes",
]

#: An unmatched movement is looked at within this many working days (agency policy).
UNMATCHED_DUE_WORKING_DAYS = 2


@dataclass(slots=True)
class Outcome:
    """What becomes of one movement; written to its row at the end of the import."""

    status: MovementStatus
    method: MatchMethod = MatchMethod.NONE
    confidence: Decimal = ZERO
    reason: str = ""
    file_id: int | None = None
    entry_id: int | None = None
    original_id: int | None = None
    suggestions: list[dict[str, Any]] = field(default_factory=list)


def queue_unmatched(
    movements: Sequence[tuple[int, BankMovement]], outcomes: dict[int, Outcome], *, today: date
) -> None:
    """One work item per movement left to an agent, due in 2 working days."""
    due = add_working_days(today, UNMATCHED_DUE_WORKING_DAYS)
    WorkItem.objects.bulk_create(
        [
            WorkItem(
                kind=WorkItemKind.UNMATCHED_MOVEMENT,
                title=_queue_title(movement)[:200],
                due_on=due,
                data={
                    "movement": movement_id,
                    "amount": f"{movement.amount:.2f}",
                    "booking_date": movement.booking_date.isoformat(),
                    "reason": outcomes[movement_id].reason,
                },
            )
            for movement_id, movement in movements
        ],
        batch_size=2000,
    )


def _queue_title(movement: BankMovement) -> str:
    who = movement.counterparty_name or movement.counterparty_account or "an unknown payer"
    if movement.amount > 0:
        return f"Payment of {movement.amount:.2f} {movement.currency} from {who}"
    return f"Outgoing {-movement.amount:.2f} {movement.currency} to {who}"


def close_queue_items(
    movement_ids: Sequence[int], *, actor: str, outcome: str, now: datetime
) -> None:
    close_items(
        WorkItem.objects.filter(
            kind=WorkItemKind.UNMATCHED_MOVEMENT, data__movement__in=list(movement_ids)
        ),
        outcome=outcome,
        actor=actor,
        now=now,
    )


def write_outcomes(outcomes: dict[int, Outcome], *, actor: str) -> None:
    """Write every movement's outcome: one UPDATE per 10,000 rows on PostgreSQL."""
    now = timezone.now()
    ids = sorted(outcomes)
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(BankMovementRecord._meta.db_table)
        sql = (
            f"UPDATE {table} AS m SET status = v.status, match_method = v.method, "  # noqa: S608
            "confidence = v.confidence, reason = v.reason, file_id = v.file_id, "
            "entry_id = v.entry_id, original_id = v.original_id, "
            "suggestions = v.suggestions::jsonb, decided_by = %s, decided_at = %s "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::numeric[], %s::text[], "
            "%s::bigint[], %s::bigint[], %s::bigint[], %s::text[]) "
            "AS v(id, status, method, confidence, reason, file_id, entry_id, original_id, "
            "suggestions) WHERE m.id = v.id"
        )
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 10_000):
                chunk = ids[start : start + 10_000]
                rows = [outcomes[i] for i in chunk]
                cursor.execute(
                    sql,
                    [
                        actor,
                        now,
                        chunk,
                        [o.status.value for o in rows],
                        [o.method.value for o in rows],
                        [o.confidence for o in rows],
                        [o.reason[:300] for o in rows],
                        [o.file_id for o in rows],
                        [o.entry_id for o in rows],
                        [o.original_id for o in rows],
                        [json.dumps(o.suggestions) for o in rows],
                    ],
                )
        return
    records = []
    for movement_id in ids:
        outcome = outcomes[movement_id]
        records.append(
            BankMovementRecord(
                pk=movement_id,
                status=outcome.status,
                match_method=outcome.method,
                confidence=outcome.confidence,
                reason=outcome.reason[:300],
                file_id=outcome.file_id,
                entry_id=outcome.entry_id,
                original_id=outcome.original_id,
                suggestions=outcome.suggestions,
                decided_by=actor,
                decided_at=now,
            )
        )
    BankMovementRecord.objects.bulk_update(
        records,
        [
            "status",
            "match_method",
            "confidence",
            "reason",
            "file_id",
            "entry_id",
            "original_id",
            "suggestions",
            "decided_by",
            "decided_at",
        ],
        batch_size=500,
    )
