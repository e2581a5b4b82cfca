"""Reads of the statement page: recent imports, the movements waiting for an agent, refunds."""

from __future__ import annotations

from django.db.models import QuerySet

from amicable.payments.models import (
    BankMovementRecord,
    MovementStatus,
    Refund,
    RefundStatus,
    StatementImport,
)

__all__ = [
    "count_pending_refunds",
    "count_waiting_movements",
    "get_movement",
    "list_pending_refunds",
    "list_recent_imports",
    "list_waiting_movements",
]


def list_recent_imports(*, limit: int = 20) -> QuerySet[StatementImport]:
    return StatementImport.objects.order_by("-imported_at", "-id")[:limit]


def list_waiting_movements(*, limit: int = 200) -> QuerySet[BankMovementRecord]:
    """Movements an agent must decide on, oldest first."""
    return BankMovementRecord.objects.filter(status=MovementStatus.UNMATCHED).order_by(
        "booking_date", "id"
    )[:limit]


def list_pending_refunds(*, limit: int = 200) -> QuerySet[Refund]:
    """Refunds to pay, oldest first (a statement can leave thousands: the page shows a few)."""
    return _pending_refunds().select_related("file").order_by("id")[:limit]


def count_pending_refunds() -> int:
    return _pending_refunds().count()


def count_waiting_movements() -> int:
    return BankMovementRecord.objects.filter(status=MovementStatus.UNMATCHED).count()


def _pending_refunds() -> QuerySet[Refund]:
    return Refund.objects.filter(status=RefundStatus.PENDING)


def get_movement(movement_id: int) -> BankMovementRecord | None:
    return (
        BankMovementRecord.objects.select_related("file", "entry", "statement_import")
        .filter(pk=movement_id)
        .first()
    )
