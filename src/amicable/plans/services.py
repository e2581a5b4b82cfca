"""Broken payment plans: a running plan that the debtor stops paying, for the daily run.

:func:`mark_plans_broken` is set-based (the daily run may break thousands of plans at once);
where the file goes next is the daily run's decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amicable.domain.money import format_eur
from amicable.files.timeline import EventKind, EventRow, record_events
from amicable.plans.agreement import debtor_date
from amicable.plans.models import PaymentPlan, PlanStatus

__all__ = ["BREAK_CHUNK", "PlanBreak", "mark_plans_broken"]


@dataclass(frozen=True, slots=True)
class PlanBreak:
    """A running plan that broke: the first instalment the payments do not cover, unpaid."""

    plan_id: int
    instalment: int
    due_on: date
    amount: Decimal
    # What the debtor paid since the plan was agreed.
    received: Decimal


#: Plans marked broken per statement: the daily run may break thousands at once.
BREAK_CHUNK = 5000


@transaction.atomic
def mark_plans_broken(breaks: Iterable[PlanBreak], *, on: date, actor: str) -> list[int]:
    """Mark running plans broken on ``on``, set-based: per :data:`BREAK_CHUNK` plans, one read
    of the plans still running (locked, with their debtor's language), one UPDATE, and their
    ``payment_plan_broken`` events in one bulk insert. Returns the ids of the plans marked.

    A plan that no longer runs (answered, ended or broken already) is left as it is, so a
    repeated call changes nothing. Where the file goes next is the caller's decision (the daily
    run moves it back to collection); the debtor is told here, in their language, why the plan
    ended.
    """
    by_plan = {b.plan_id: b for b in breaks}
    ids = sorted(by_plan)
    marked: list[int] = []
    for start in range(0, len(ids), BREAK_CHUNK):
        chunk = ids[start : start + BREAK_CHUNK]
        running = list(
            PaymentPlan.objects.select_for_update(of=("self",))
            .filter(pk__any_of=chunk, status=PlanStatus.ACTIVE)
            .order_by("pk")
            .values_list("pk", "file_id", "file__debtor__language")
        )
        if not running:
            continue
        PaymentPlan.objects.filter(pk__any_of=[row[0] for row in running]).update(
            status=PlanStatus.BROKEN, ended_on=on
        )
        record_events(
            _broken_event(by_plan[pk], file_id=file_id, language=language, on=on, actor=actor)
            for pk, file_id, language in running
        )
        marked.extend(row[0] for row in running)
    return marked


def _broken_event(brk: PlanBreak, *, file_id: int, language: str, on: date, actor: str) -> EventRow:
    """One ``payment_plan_broken`` event."""
    with translation.override(language):
        message = _(
            "Your payment plan has ended: instalment %(number)d of %(amount)s, due on %(due)s, "
            "was still unpaid on %(day)s. The balance of your file is due: pay it with the "
            "structured communication of your file, or contact us."
        ) % {
            "number": brk.instalment,
            "amount": format_eur(brk.amount, language),
            "due": debtor_date(brk.due_on),
            "day": debtor_date(on),
        }
    data = {
        "plan": brk.plan_id,
        "instalment": brk.instalment,
        "due_on": brk.due_on.isoformat(),
        "amount": str(brk.amount),
        "received": str(brk.received),
    }
    return EventRow(file_id, EventKind.PAYMENT_PLAN_BROKEN, actor, message, data)
