"""Reads on payment plans: the open plan of a file and where each instalment stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db.models import Q, Sum

from amicable.domain.money import ZERO
from amicable.files.ledger import PAYMENT_KINDS
from amicable.files.models import EntryKind, File, LedgerEntry
from amicable.plans.models import OPEN_STATUSES, PaymentPlan, PlanStatus

__all__ = [
    "InstalmentStatus",
    "InstalmentView",
    "get_last_refusal",
    "get_open_plan",
    "has_running_plan",
    "plan_schedule",
]


def get_last_refusal(file: File) -> PaymentPlan | None:
    """The latest request on ``file`` that an agent refused, if any."""
    return (
        PaymentPlan.objects.filter(file=file, status=PlanStatus.REFUSED)
        .order_by("-answered_on", "-id")
        .first()
    )


def get_open_plan(file: File) -> PaymentPlan | None:
    """The plan that runs or awaits an agent on ``file``, with its instalments."""
    return (
        PaymentPlan.objects.filter(file=file, status__in=OPEN_STATUSES)
        .prefetch_related("instalments")
        .first()
    )


def has_running_plan(file: File) -> bool:
    """Whether an agreed payment plan runs on ``file`` (a request still waiting does not)."""
    return PaymentPlan.objects.filter(
        file=file, status=PlanStatus.ACTIVE, agreed_on__isnull=False
    ).exists()


class InstalmentStatus(StrEnum):
    PAID = "paid"
    DUE = "due"
    LATE = "late"


@dataclass(frozen=True, slots=True)
class InstalmentView:
    number: int
    due_on: date
    amount: Decimal
    structured_communication: str  # 12 digits
    status: InstalmentStatus


def received_since(file: File, since: date) -> Decimal:
    """What the debtor paid on ``file`` (to the agency or the creditor) from ``since`` on, net
    of payments returned by the bank."""
    total = LedgerEntry.objects.filter(
        Q(kind__in=PAYMENT_KINDS) | Q(kind=EntryKind.REVERSAL, reverses__kind__in=PAYMENT_KINDS),
        file=file,
        value_date__gte=since,
    ).aggregate(total=Sum("amount"))["total"]
    # Payments are negative in the ledger (they lower what is owed).
    return -(total or ZERO)


def plan_schedule(plan: PaymentPlan, *, today: date) -> list[InstalmentView]:
    """The instalments of an agreed plan, oldest first, each paid, due or late.

    Whatever the communication used, the payments received since the plan was agreed pay the
    instalments in their order: an instalment is paid once they cover it and all before it.
    """
    if plan.status != PlanStatus.ACTIVE or plan.agreed_on is None:
        return []
    paid = received_since(plan.file, plan.agreed_on)
    views: list[InstalmentView] = []
    cumulative = ZERO
    for instalment in plan.instalments.all():
        cumulative += instalment.amount
        if paid >= cumulative:
            status = InstalmentStatus.PAID
        elif instalment.due_on < today:
            status = InstalmentStatus.LATE
        else:
            status = InstalmentStatus.DUE
        views.append(
            InstalmentView(
                number=instalment.number,
                due_on=instalment.due_on,
                amount=instalment.amount,
                structured_communication=instalment.structured_communication,
                status=status,
            )
        )
    return views
