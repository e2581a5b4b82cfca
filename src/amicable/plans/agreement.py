"""A payment plan agreed: its instalments, its file moved to ``payment_plan``, the debtor told.

Whoever agrees it (the portal within the agency's rules, an agent answering a request or on the
phone), a plan starts here (:func:`start_plan`), and an agent agrees one only where the portal
would and within the agent's limits (:func:`check_agent_may_agree`, :func:`agent_limits_error`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amicable.domain.lifecycle import FileState
from amicable.domain.money import format_eur
from amicable.files.lifecycle import change_file_state
from amicable.files.models import File
from amicable.files.numbers import instalment_structured_communication
from amicable.files.timeline import EventKind, record_event
from amicable.plans import rules as plan_rules
from amicable.plans.errors import PlanError
from amicable.plans.models import Instalment, PaymentPlan

__all__ = ["agent_limits_error", "check_agent_may_agree", "debtor_date", "start_plan"]


def start_plan(
    plan: PaymentPlan,
    *,
    actor: str,
    reason: str,
    note_for_debtor: str = "",
    changed: bool = False,
    extra: dict[str, Any] | None = None,
) -> None:
    """Create the instalments of an agreed plan, move its file, and tell the debtor."""
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
    change_file_state(file=file, new_state=FileState.PAYMENT_PLAN, actor=actor, reason=reason)
    record_event(
        file,
        EventKind.PAYMENT_PLAN_AGREED,
        actor=actor,
        message=_agreed_message(plan, changed=changed, note_for_debtor=note_for_debtor),
        data={
            "plan": plan.pk,
            "total": str(plan.total),
            "instalments": [
                {"number": n, "due_on": d.isoformat(), "amount": str(a)}
                for n, (d, a) in enumerate(zip(dates, amounts, strict=True), start=1)
            ],
            "mentions_difficulties": plan.mentions_difficulties,
            **(extra or {}),
        },
    )


def debtor_date(day: date) -> str:
    """dd/mm/yyyy, the numeric date the portal shows in all four languages."""
    return day.strftime("%d/%m/%Y")


def _agreed_message(plan: PaymentPlan, *, changed: bool, note_for_debtor: str) -> str:
    """What the debtor reads when a plan is agreed, in their language."""
    language = plan.file.debtor.language
    with translation.override(language):
        parts = [
            _(
                "We cannot agree to the plan exactly as you asked, but we agree to the "
                "following one."
            )
            if changed
            else _("We agree to your payment plan."),
            ngettext(
                "%(count)d monthly instalment from %(date)s, for %(total)s, the balance of your "
                "file today.",
                "%(count)d monthly instalments from %(date)s, for %(total)s, the balance of your "
                "file today.",
                plan.instalment_count,
            )
            % {
                "count": plan.instalment_count,
                "date": debtor_date(plan.first_due_on),
                "total": format_eur(plan.total, language),
            },
            _(
                "Each instalment has its own structured communication: you find them on your "
                "file, with their amounts and due dates."
            ),
            note_for_debtor.strip(),
        ]
    return " ".join(part for part in parts if part)


def check_agent_may_agree(file: File) -> None:
    """A plan settles collection only after the formal notice or during collection
    (``plans.rules.SELF_SERVICE_STATES``): a disputed, held or mediated file is first settled by
    its own decision."""
    if file.file_state not in plan_rules.SELF_SERVICE_STATES:
        raise PlanError(
            _(
                "The file is in state %(state)s: decide on that first. A plan is agreed after "
                "the formal notice or during collection."
            )
            % {"state": file.state}
        )


def agent_limits_error(breaches: Sequence[plan_rules.Breach]) -> PlanError:
    """The refusal of a plan beyond even the agent's limits (``plans.rules.AGENT_RULES``)."""
    return PlanError(
        _("An agent agrees at most 99 instalments, the first within a year (%(why)s).")
        % {"why": ", ".join(breaches)}
    )
