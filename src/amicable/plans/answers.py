"""An agent answers a payment plan request outside the rules: agreed, as asked or changed
(:func:`agree_plan_request`), or refused with a reason (:func:`refuse_plan_request`). The debtor
is told either way, in their language, on the file's timeline.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amicable.files.ledger import file_balance, lock_file
from amicable.files.models import File, WorkItem, WorkItemKind
from amicable.files.timeline import EventKind, record_event
from amicable.files.work_queue import close_items
from amicable.plans import rules as plan_rules
from amicable.plans.agreement import agent_limits_error, check_agent_may_agree, start_plan
from amicable.plans.errors import PlanError
from amicable.plans.models import PaymentPlan, PlanRefusal, PlanStatus

__all__ = [
    "REFUSAL_SENTENCES",
    "agree_plan_request",
    "refusal_reason",
    "refuse_plan_request",
]


#: What the debtor reads for each reason of a refusal; for ``OTHER`` the agent writes it.
REFUSAL_SENTENCES = {
    PlanRefusal.TOO_LONG: gettext_lazy(
        "So many instalments are not possible for the amount you owe; a plan with fewer "
        "instalments can be agreed."
    ),
    PlanRefusal.FIRST_DUE_TOO_LATE: gettext_lazy(
        "The first instalment would come too late; a plan must start sooner."
    ),
    PlanRefusal.CREDITOR_REFUSES: gettext_lazy(
        "The creditor does not agree to a payment plan for this debt."
    ),
}


def _lock_request(plan: PaymentPlan) -> tuple[File, PaymentPlan]:
    """The file and the plan, locked in that order (as every writer of a file locks them), and
    the plan still waiting for its answer."""
    file = lock_file(plan.file_id)
    plan = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.REQUESTED:
        raise PlanError(_("This payment plan request was already answered."))
    plan.file = file
    return file, plan


def _close_request_items(plan: PaymentPlan, *, outcome: str, actor: str, now: datetime) -> int:
    return close_items(
        WorkItem.objects.filter(
            file_id=plan.file_id, kind=WorkItemKind.PAYMENT_PLAN_REQUEST, data__plan_id=plan.pk
        ),
        outcome=outcome,
        actor=actor,
        now=now,
    )


@transaction.atomic
def agree_plan_request(
    *,
    plan: PaymentPlan,
    actor: str,
    today: date,
    now: datetime,
    instalment_count: int | None = None,
    first_due_on: date | None = None,
    note_for_debtor: str = "",
) -> PaymentPlan:
    """An agent agrees to a request outside the rules, as asked or with other instalments.

    The plan covers the balance of ``today`` (what the debtor owes on the day it is agreed),
    split as any plan is, within the agent's limits (:data:`plans.rules.AGENT_RULES`): nothing
    is added to it. A plan settles collection only after the formal notice or during collection
    (``plans.rules.SELF_SERVICE_STATES``): a disputed, held or mediated file is first settled by
    its own decision, and the request waits. The file moves to ``payment_plan`` through
    ``files.lifecycle``; the request's work item closes with the outcome; the debtor is told.

    Raises :class:`PlanError` (nothing written) when the request was answered already, the file
    is not at a stage where a plan is agreed, nothing is owed, or the instalments are impossible.
    """
    file, plan = _lock_request(plan)
    check_agent_may_agree(file)
    count = instalment_count if instalment_count is not None else plan.instalment_count
    first = first_due_on if first_due_on is not None else plan.first_due_on
    if first < today:
        raise PlanError(_("The first instalment cannot be due in the past."))
    total = file_balance(file, as_of=today).outstanding
    if total <= 0:
        raise PlanError(_("Nothing remains to be paid on this file."))
    breaches = plan_rules.breaches(
        total=total,
        count=count,
        first_due=first,
        today=today,
        state=file.file_state,
        rules=plan_rules.AGENT_RULES,
    )
    if breaches:
        raise agent_limits_error(breaches)
    requested = {
        "instalments": plan.instalment_count,
        "first_due_on": plan.first_due_on.isoformat(),
    }
    changed = (count, first) != (plan.instalment_count, plan.first_due_on)
    plan.status = PlanStatus.ACTIVE
    plan.instalment_count = count
    plan.first_due_on = first
    plan.total = total
    plan.agreed_on = today
    plan.answered_on = today
    plan.answered_by = actor
    plan.answer_note = note_for_debtor.strip()[:300]
    plan.save(
        update_fields=[
            "status",
            "instalment_count",
            "first_due_on",
            "total",
            "agreed_on",
            "answered_on",
            "answered_by",
            "answer_note",
        ]
    )
    start_plan(
        plan,
        actor=actor,
        reason=f"Payment plan {plan.pk} agreed by an agent.",
        note_for_debtor=plan.answer_note,
        changed=changed,
        extra={
            "requested": requested,
            "changed": changed,
            "note": plan.answer_note,
        },
    )
    _close_request_items(
        plan,
        outcome=f"agreed: {count} instalments from {first.isoformat()} on {total}"
        + (" (changed)" if changed else ""),
        actor=actor,
        now=now,
    )
    return plan


@transaction.atomic
def refuse_plan_request(
    *,
    plan: PaymentPlan,
    reason: PlanRefusal,
    actor: str,
    today: date,
    now: datetime,
    note_for_debtor: str = "",
) -> PaymentPlan:
    """An agent refuses a request outside the rules, with the reason the debtor reads.

    The file stays where it is (the request never moved it): collection goes on as before, and
    the debtor may ask for another plan. The request's work item closes with the reason; the
    debtor is told in their language, with payment facilities and free debt mediation pointed
    out when they mentioned difficulties (docs/legal.md, section 3).
    """
    file, plan = _lock_request(plan)
    note = note_for_debtor.strip()
    if reason is PlanRefusal.OTHER and not note:
        raise PlanError(_("Write the reason for the debtor."))
    plan.status = PlanStatus.REFUSED
    plan.answered_on = today
    plan.answered_by = actor
    plan.refusal_reason = reason.value
    plan.answer_note = note[:300]
    plan.save(
        update_fields=["status", "answered_on", "answered_by", "refusal_reason", "answer_note"]
    )
    record_event(
        file,
        EventKind.PAYMENT_PLAN_REFUSED,
        actor=actor,
        message=_refused_message(plan, reason=reason),
        data={
            "plan": plan.pk,
            "reason": reason.value,
            "note": plan.answer_note,
            "instalments": plan.instalment_count,
            "first_due_on": plan.first_due_on.isoformat(),
        },
    )
    _close_request_items(
        plan,
        outcome=f"refused ({reason.value})" + (f": {plan.answer_note}" if plan.answer_note else ""),
        actor=actor,
        now=now,
    )
    return plan


def refusal_reason(plan: PaymentPlan) -> str:
    """Why the request was refused, in the active language: the sentence of its reason, or the
    agent's own words for any other reason."""
    reason = PlanRefusal(plan.refusal_reason) if plan.refusal_reason else None
    sentence = str(REFUSAL_SENTENCES[reason]) if reason in REFUSAL_SENTENCES else ""
    return " ".join(part for part in (sentence, plan.answer_note) if part)


def _refused_message(plan: PaymentPlan, *, reason: PlanRefusal) -> str:
    """What the debtor reads when their request is refused, in their language."""
    with translation.override(plan.file.debtor.language):
        parts = [
            _("We cannot agree to the payment plan you asked for."),
            str(REFUSAL_SENTENCES[reason]) if reason in REFUSAL_SENTENCES else "",
            plan.answer_note,
            _(
                "You may ask for another plan on your file, pay what you can with the structured "
                "communication of your file, or call us."
            ),
            _(
                "If paying is difficult for you, the CPAS/OCMW of your municipality and "
                "recognised services offer free debt mediation; you can tell us about it on "
                "your file."
            )
            if plan.mentions_difficulties
            else "",
        ]
    return " ".join(part for part in parts if part)
