"""A payment plan asked for: by the debtor in the portal, or agreed by an agent on the phone.

CEL art. XIX.7 §3 lets the consumer ask for a payment plan (the "stop button" of the waiting
period after the formal notice), and the collector must explain payment facilities when the
consumer mentions difficulties. A request within the agency's rules (:mod:`amicable.plans.rules`)
is agreed at once (:func:`amicable.plans.agreement.start_plan`). Any other request is kept as
``requested`` and put in the agents' queue, due in :data:`AGENT_ANSWER_WORKING_DAYS` working
days, until an agent answers it (:mod:`amicable.plans.answers`). An agent who agrees a plan with
the debtor directly uses :func:`agree_payment_plan`, within the agent's wider limits.

Policy on interest during a plan: the plan covers the balance on the day it is agreed; the
lifecycle table lets interest keep running on the unpaid principal during a plan (``payment_plan``
accrues interest), as the contract provides within the cap of CEL art. XIX.4. What remains after
the last instalment is shown on the file and paid with the file's own communication. A plan adds
nothing to the balance (CEL art. XIX.4 is a closed list: no plan or file fee), and the daily run
sends no reminder, so no reminder cost, while a plan is respected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amicable.domain.calendar import add_working_days
from amicable.domain.lifecycle import AgentAction
from amicable.domain.prescription import Interruption
from amicable.files.actions import check_action
from amicable.files.ledger import file_balance, lock_file
from amicable.files.models import File, WorkItem, WorkItemKind
from amicable.files.prescription import record_interruptions
from amicable.files.timeline import EventKind, record_event
from amicable.plans import rules as plan_rules
from amicable.plans.agreement import (
    agent_limits_error,
    check_agent_may_agree,
    debtor_date,
    start_plan,
)
from amicable.plans.errors import PlanError
from amicable.plans.models import OPEN_STATUSES, PaymentPlan, PlanStatus

__all__ = [
    "AGENT_ANSWER_WORKING_DAYS",
    "PlanRequestResult",
    "agree_payment_plan",
    "request_payment_plan",
]

#: An agent answers a request outside the rules within five working days (agency policy).
AGENT_ANSWER_WORKING_DAYS = 5


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
    # Asking for time to pay acknowledges the debt: the file's prescription clocks restart
    # (docs/legal.md, section 8).
    record_interruptions([(file.pk, today)], cause=Interruption.PLAN_REQUEST)
    if breaches:
        _send_to_agent(plan, today=today, actor=actor)
    else:
        start_plan(
            plan, actor=actor, reason=f"Payment plan {plan.pk} agreed within the agency's rules."
        )
    return PlanRequestResult(plan=plan, accepted=not breaches, breaches=breaches)


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
    with translation.override(file.debtor.language):
        # The sentence the portal's plan page shows while the request waits.
        message = _(
            "Your request for %(count)s instalments from %(date)s is outside the plans we can "
            "agree at once. An agent will look at it and answer you within %(days)s working days."
        ) % {
            "count": plan.instalment_count,
            "date": debtor_date(plan.first_due_on),
            "days": AGENT_ANSWER_WORKING_DAYS,
        }
    record_event(
        file,
        EventKind.PAYMENT_PLAN_REQUESTED,
        actor=actor,
        message=message,
        data={"plan": plan.pk, "breaches": plan.breaches, "total": str(plan.total)},
    )


@transaction.atomic
def agree_payment_plan(
    *,
    file: File,
    instalment_count: int,
    first_due_on: date,
    note: str,
    actor: str,
    today: date,
) -> PaymentPlan:
    """Agree a payment plan with the debtor (on the phone, or after looking at a request).

    The plan goes through :func:`request_payment_plan` with the agent's wider rules
    (``plans.rules.AGENT_RULES``), so it is built, numbered and recorded exactly like a plan
    agreed in the portal, and only where the portal's would be
    (:func:`~amicable.plans.agreement.check_agent_may_agree`).
    """
    check_action(file, AgentAction.AGREE_PAYMENT_PLAN)
    check_agent_may_agree(file)
    result = request_payment_plan(
        file=file,
        instalment_count=instalment_count,
        first_due_on=first_due_on,
        today=today,
        actor=actor,
        note=note.strip(),
        rules=plan_rules.AGENT_RULES,
    )
    if not result.accepted:
        # Beyond even the agent's rules: nothing is kept (the whole transaction rolls back).
        raise agent_limits_error(result.breaches)
    return result.plan
