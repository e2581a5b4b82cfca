"""What an agent sends or logs by hand: a letter, a refused letter queued again once corrected,
a phone call.

Each goes through the same doors as the collection strategy's: ``letters.services`` produces a
letter after the contact guard and every mandatory check (CEL art. XIX.2, XIX.4, XIX.7 §2), and
logs a call after the contact rules (docs/legal.md, section 4); the letters batch checks a queued
letter anew.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amicable.domain.contact import ContactPurpose, Recipient
from amicable.domain.lifecycle import AgentAction
from amicable.domain.mentions import LetterKind
from amicable.files.actions import ActionRefused, check_action
from amicable.files.models import File, WorkItem, WorkItemKind, WorkItemStatus
from amicable.files.work_queue import close_items
from amicable.letters import content as letter_data
from amicable.letters.assembly import LetterDetails
from amicable.letters.models import ContactAttempt, LetterChannel
from amicable.letters.services import LetterOutcome, log_phone_call, produce_letter
from amicable.plans.models import PlanStatus
from amicable.plans.selectors import get_open_plan
from amicable.workflow.letter_queue import requeue_letter

__all__ = [
    "AGENT_LETTERS",
    "declare_claim_to_mediator",
    "log_call",
    "requeue_refused_letter",
    "send_letter",
]


#: The letters an agent sends by hand; the others follow the collection strategy (daily run).
AGENT_LETTERS = (LetterKind.STATEMENT_OF_ACCOUNT, LetterKind.PAYMENT_PLAN_CONFIRMATION)


def send_letter(
    *, file: File, kind: LetterKind, channel: LetterChannel, actor: str, now: datetime
) -> LetterOutcome:
    """Produce a letter an agent sends by hand, through ``letters.services.produce_letter``.

    The letters service asks the contact guard, checks every mandatory mention and figure
    (CEL art. XIX.2, XIX.4, XIX.7 §2), archives the PDF as sent and, by e-mail, queues it; a
    refused letter is reported in the outcome, never half sent.
    """
    check_action(file, AgentAction.SEND_LETTER)
    if kind not in AGENT_LETTERS:
        raise ActionRefused(_("This letter is sent by the collection strategy, not by hand."))
    details = None
    if kind is LetterKind.PAYMENT_PLAN_CONFIRMATION:
        plan = get_open_plan(file)
        if plan is None or plan.status != PlanStatus.ACTIVE:
            raise ActionRefused(_("No agreed payment plan runs on this file."))
        details = LetterDetails(
            instalments=tuple(
                letter_data.Instalment(
                    number=i.number,
                    due_date=i.due_on,
                    amount=i.amount,
                    structured_communication=i.structured_communication,
                )
                for i in plan.instalments.all()
            )
        )
    return produce_letter(
        file=file,
        kind=kind,
        actor=actor,
        channel=channel,
        on=timezone.localdate(now),
        at=now,
        details=details,
    )


def declare_claim_to_mediator(*, file: File, actor: str, now: datetime) -> LetterOutcome:
    """Send the creditor's claim declaration to the mediator of a collective debt settlement.

    The creditor declares its claim to the court-appointed mediator within one month of the
    admissibility decision's notification (Judicial Code art. 1675/9 §2), stated as it stood
    the day before admissibility, when interest stopped (art. 1675/7). It goes by e-mail to
    the mediator the debtor declared: no postal address of a mediator is held, and a letter
    posted to nowhere would miss the deadline unseen.
    """
    check_action(file, AgentAction.DECLARE_CLAIM)
    if not file.debtor.mediator_email:
        raise ActionRefused(
            _(
                "No e-mail address of the mediator is known: add it to the debtor's record, "
                "then send the declaration."
            )
        )
    return produce_letter(
        file=file,
        kind=LetterKind.MEDIATOR_CLAIM_DECLARATION,
        actor=actor,
        channel=LetterChannel.EMAIL,
        on=timezone.localdate(now),
        at=now,
    )


@transaction.atomic
def requeue_refused_letter(*, item: WorkItem, actor: str, today: date, now: datetime) -> WorkItem:
    """Queue a refused letter again once its cause is corrected, and close the item.

    The letters batch checks the letter again before it is produced (mandatory mentions,
    caps, CEL art. XIX.7 §2), so a letter still wrong comes back to this queue.
    """
    letter_id = item.data.get("letter_request") if isinstance(item.data, dict) else None
    if item.kind != WorkItemKind.LETTER_REFUSED or not isinstance(letter_id, int):
        raise ActionRefused(_("This item is not a refused letter."))
    if item.status != WorkItemStatus.OPEN:
        raise ActionRefused(_("This item is already closed."))
    try:
        requeue_letter(request_id=letter_id, due_on=today, actor=actor)
    except ValueError as exc:
        raise ActionRefused(str(exc)) from exc
    outcome = f"letter request {letter_id} queued again for {today.isoformat()}"
    close_items(WorkItem.objects.filter(pk=item.pk), outcome=outcome, actor=actor, now=now)
    item.refresh_from_db()
    return item


def log_call(
    *,
    file: File,
    recipient: Recipient,
    purpose: ContactPurpose,
    note: str,
    actor: str,
    now: datetime,
) -> ContactAttempt:
    """Check a phone call against the contact rules, and log it or its refusal.

    Through the one contact guard of every outbound contact
    (``amicable.letters.services.log_phone_call``), so that calls, letters and e-mails count
    together towards the limits (docs/legal.md, section 4: no third party, not while collection is
    suspended, hours, Sundays and holidays, at most one call a day and three a week). The rules
    decide at the moment the call is logged. A refused call is kept, shown to the agent and put
    on the timeline, so that a compliance officer sees what the rules stopped.
    """
    check_action(file, AgentAction.LOG_CALL)
    return log_phone_call(
        file=file,
        actor=actor,
        at=now,
        note=note.strip(),
        recipient=recipient,
        purpose=purpose,
    )
