"""Writes on payment plans: the debtor's request, accepted at once or sent to an agent.

CEL art. XIX.7 §3 lets the consumer ask for a payment plan (the "stop button" of the waiting
period after the formal notice), and the collector must explain payment facilities when the
consumer mentions difficulties. A request within the agency's rules (:mod:`amicable.plans.rules`)
is agreed at once: the plan and its instalments are created, the file moves to ``payment_plan``
through ``files.services.change_file_state`` (the lifecycle table decides), and the timeline says
so. Any other request is kept as ``requested`` and put in the agents' queue, due in
:data:`AGENT_ANSWER_WORKING_DAYS` working days, until an agent agrees to it, as asked or changed
(:func:`agree_plan_request`), or refuses it with a reason (:func:`refuse_plan_request`). The
debtor is told either way, in their language, on the file's timeline.

A running plan that the debtor stops paying is marked broken by :func:`mark_plans_broken`, set-
based, for the daily run.

Policy on interest during a plan: the plan covers the balance on the day it is agreed; the
lifecycle table lets interest keep running on the unpaid principal during a plan (``payment_plan``
accrues interest), as the contract provides within the cap of CEL art. XIX.4. What remains after
the last instalment is shown on the file and paid with the file's own communication. A plan adds
nothing to the balance (CEL art. XIX.4 is a closed list: no plan or file fee), and the daily run
sends no reminder, so no reminder cost, while a plan is respected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amicable.domain.calendar import add_working_days
from amicable.domain.lifecycle import FileState
from amicable.domain.money import format_eur
from amicable.files.ledger import file_balance, lock_file
from amicable.files.lifecycle import change_file_state
from amicable.files.models import File, WorkItem, WorkItemKind, WorkItemStatus
from amicable.files.numbers import instalment_structured_communication
from amicable.files.timeline import EventKind, EventRow, record_event, record_events
from amicable.plans import rules as plan_rules
from amicable.plans.models import (
    OPEN_STATUSES,
    Instalment,
    PaymentPlan,
    PlanRefusal,
    PlanStatus,
)

__all__ = [
    "AGENT_ANSWER_WORKING_DAYS",
    "BREAK_CHUNK",
    "REFUSAL_SENTENCES",
    "PlanBreak",
    "PlanError",
    "PlanRequestResult",
    "agree_plan_request",
    "mark_plans_broken",
    "refusal_reason",
    "refuse_plan_request",
    "request_payment_plan",
]

#: An agent answers a request outside the rules within five working days (agency policy).
AGENT_ANSWER_WORKING_DAYS = 5


class PlanError(Exception):
    """A request or an answer that cannot be recorded at all (nothing was written)."""


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
    _start(plan, actor=actor, reason=f"Payment plan {plan.pk} agreed within the agency's rules.")


def _start(
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


def _debtor_date(day: date) -> str:
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
                "date": _debtor_date(plan.first_due_on),
                "total": format_eur(plan.total, language),
            },
            _(
                "Each instalment has its own structured communication: you find them on your "
                "file, with their amounts and due dates."
            ),
            note_for_debtor.strip(),
        ]
    return " ".join(part for part in parts if part)


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
            "date": _debtor_date(plan.first_due_on),
            "days": AGENT_ANSWER_WORKING_DAYS,
        }
    record_event(
        file,
        EventKind.PAYMENT_PLAN_REQUESTED,
        actor=actor,
        message=message,
        data={"plan": plan.pk, "breaches": plan.breaches, "total": str(plan.total)},
    )


# --- an agent answers a request -----------------------------------------------------------------


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
    return WorkItem.objects.filter(
        file_id=plan.file_id,
        kind=WorkItemKind.PAYMENT_PLAN_REQUEST,
        status=WorkItemStatus.OPEN,
        data__plan_id=plan.pk,
    ).update(status=WorkItemStatus.DONE, outcome=outcome[:500], closed_by=actor, closed_at=now)


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
    ``change_file_state``; the request's work item closes with the outcome; the debtor is told.

    Raises :class:`PlanError` (nothing written) when the request was answered already, the file
    is not at a stage where a plan is agreed, nothing is owed, or the instalments are impossible.
    """
    file, plan = _lock_request(plan)
    if file.file_state not in plan_rules.SELF_SERVICE_STATES:
        raise PlanError(
            _(
                "The file is in state %(state)s: decide on that first. A plan is agreed after "
                "the formal notice or during collection."
            )
            % {"state": file.state}
        )
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
        raise PlanError(
            _("An agent agrees at most 99 instalments, the first within a year (%(why)s).")
            % {"why": ", ".join(breaches)}
        )
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
    _start(
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


# --- broken plans (the daily run) ---------------------------------------------------------------


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
            "due": _debtor_date(brk.due_on),
            "day": _debtor_date(on),
        }
    data = {
        "plan": brk.plan_id,
        "instalment": brk.instalment,
        "due_on": brk.due_on.isoformat(),
        "amount": str(brk.amount),
        "received": str(brk.received),
    }
    return EventRow(file_id, EventKind.PAYMENT_PLAN_BROKEN, actor, message, data)
