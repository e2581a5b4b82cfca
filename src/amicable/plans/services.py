"""Writes on payment plans: the debtor's request, accepted at once or sent to an agent.

CEL art. XIX.7 §3 lets the consumer ask for a payment plan (the "stop button" of the waiting
period after the formal notice), and the collector must explain payment facilities when the
consumer mentions difficulties. A request within the agency's rules (:mod:`amicable.plans.rules`)
is agreed at once: the plan and its instalments are created, the file moves to ``payment_plan``
through ``files.services.change_file_state`` (the lifecycle table decides), and the timeline says
so. Any other request is kept as ``requested`` and put in the agents' queue, due in
:data:`AGENT_ANSWER_WORKING_DAYS` working days.

Policy on interest during a plan: the plan covers the balance on the day it is agreed; the
lifecycle table lets interest keep running on the unpaid principal during a plan (``payment_plan``
accrues interest), as the contract provides within the cap of CEL art. XIX.4. What remains after
the last instalment is shown on the file and paid with the file's own communication.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from amicable.domain.calendar import add_working_days
from amicable.domain.lifecycle import FileState
from amicable.files.ledger import file_balance, lock_file
from amicable.files.models import File, WorkItem, WorkItemKind
from amicable.files.numbers import instalment_structured_communication
from amicable.files.services import change_file_state
from amicable.files.timeline import record_event
from amicable.plans import rules as plan_rules
from amicable.plans.models import OPEN_STATUSES, Instalment, PaymentPlan, PlanStatus

__all__ = [
    "AGENT_ANSWER_WORKING_DAYS",
    "PlanError",
    "PlanRequestResult",
    "request_payment_plan",
]

#: An agent answers a request outside the rules within five working days (agency policy).
AGENT_ANSWER_WORKING_DAYS = 5


class PlanError(Exception):
    """A request that cannot be recorded at all (nothing was written)."""


@dataclass(frozen=True, slots=True)
class PlanRequestResult:
    plan: PaymentPlan
    accepted: bool
    breaches: tuple[plan_rules.Breach, ...]


@transaction.atomic
def request_payment_plan(
    *,
    file: File,
    instalment_count: int,
    first_due_on: date,
    today: date,
    actor: str,
    mentions_difficulties: bool = False,
    note: str = "",
    rules: plan_rules.PlanRules | None = None,
) -> PlanRequestResult:
    """Record a plan request on ``file``: agreed at once within ``rules``, else for an agent.

    Raises :class:`PlanError` when a plan already runs or awaits an answer, when nothing is
    owed, or when the first payment would be in the past.
    """
    rules = rules or plan_rules.current_rules()
    file = lock_file(file.pk)
    if PaymentPlan.objects.filter(file=file, status__in=OPEN_STATUSES).exists():
        raise PlanError("A payment plan already runs or awaits an answer on this file.")
    if not 1 <= instalment_count <= 99:
        raise PlanError("A plan has 1 to 99 instalments (one structured communication each).")
    if first_due_on < today:
        raise PlanError("The first instalment cannot be due in the past.")
    total = file_balance(file, as_of=today).outstanding
    if total <= 0:
        raise PlanError("Nothing remains to be paid on this file.")
    breaches = plan_rules.breaches(
        total=total,
        count=instalment_count,
        first_due=first_due_on,
        today=today,
        state=file.file_state,
        rules=rules,
    )
    plan = PaymentPlan.objects.create(
        file=file,
        status=PlanStatus.REQUESTED if breaches else PlanStatus.ACTIVE,
        instalment_count=instalment_count,
        first_due_on=first_due_on,
        total=total,
        requested_on=today,
        agreed_on=None if breaches else today,
        breaches=[b.value for b in breaches],
        mentions_difficulties=mentions_difficulties,
        note=note[:1000],
        requested_by=actor,
    )
    if breaches:
        _send_to_agent(plan, today=today, actor=actor)
    else:
        _agree(plan, actor=actor)
    return PlanRequestResult(plan=plan, accepted=not breaches, breaches=breaches)


def _agree(plan: PaymentPlan, *, actor: str) -> None:
    file = plan.file
    amounts = plan_rules.split_amounts(plan.total, plan.instalment_count)
    dates = plan_rules.due_dates(plan.first_due_on, plan.instalment_count)
    Instalment.objects.bulk_create(
        Instalment(
            plan=plan,
            number=number,
            due_on=due_on,
            amount=amount,
            structured_communication=instalment_structured_communication(file.number, number),
        )
        for number, (due_on, amount) in enumerate(zip(dates, amounts, strict=True), start=1)
    )
    change_file_state(
        file=file,
        new_state=FileState.PAYMENT_PLAN,
        actor=actor,
        reason=f"Payment plan {plan.pk} agreed within the agency's rules.",
    )
    record_event(
        file,
        "payment_plan_agreed",
        actor=actor,
        message=f"{plan.instalment_count} monthly instalments from {plan.first_due_on}.",
        data={
            "plan": plan.pk,
            "total": str(plan.total),
            "instalments": [
                {"number": n, "due_on": d.isoformat(), "amount": str(a)}
                for n, (d, a) in enumerate(zip(dates, amounts, strict=True), start=1)
            ],
            "mentions_difficulties": plan.mentions_difficulties,
        },
        visible_to_debtor=True,
    )


def _send_to_agent(plan: PaymentPlan, *, today: date, actor: str) -> None:
    file = plan.file
    WorkItem.objects.create(
        kind=WorkItemKind.PAYMENT_PLAN_REQUEST,
        file=file,
        title=f"{file.reference}: {plan.instalment_count} instalments from "
        f"{plan.first_due_on:%d/%m/%Y} on {plan.total}",
        due_on=add_working_days(today, AGENT_ANSWER_WORKING_DAYS),
        data={
            "plan_id": plan.pk,
            "instalments": plan.instalment_count,
            "first_due_on": plan.first_due_on.isoformat(),
            "total": str(plan.total),
            "breaches": plan.breaches,
            "mentions_difficulties": plan.mentions_difficulties,
        },
    )
    record_event(
        file,
        "payment_plan_requested",
        actor=actor,
        message="Outside the agency's rules: " + ", ".join(plan.breaches),
        data={"plan": plan.pk, "breaches": plan.breaches, "total": str(plan.total)},
        visible_to_debtor=True,
    )
