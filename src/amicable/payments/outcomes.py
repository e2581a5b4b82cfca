"""What becomes of each bank movement: its outcome, written with its row at the end of an import
(``payments.statement_import``), and the agents' queue of the movements left to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from amicable.domain.calendar import add_working_days
from amicable.domain.money import ZERO
from amicable.files.models import WorkItem, WorkItemKind
from amicable.files.work_queue import close_items
from amicable.payments.models import MatchMethod, MovementStatus
from amicable.statements import BankMovement

__all__ = [
    "UNMATCHED_DUE_WORKING_DAYS",
    "Outcome",
    "close_queue_items",
    "queue_unmatched",
]

#: An unmatched movement is looked at within this many working days (agency policy).
UNMATCHED_DUE_WORKING_DAYS = 2


@dataclass(slots=True)
class Outcome:
    """What becomes of one movement; written with its row at the end of the import."""

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
