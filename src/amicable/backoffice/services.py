"""Writes of the back office: work items, proof reviews, disputes, calls and notes.

Every write names the staff member who made it (``acting_user``) and lands on the file's
timeline with them as the actor (architecture.md, invariant 4). What the debtor is told is
written in the debtor's language, whatever the agent's (journeys.md, "What the agency sees of
it"). Money only moves through ``amicable.files.ledger`` and the state only through
``amicable.files.services.change_file_state``, so the law's checks run here as everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amicable.backoffice.access import actor_name
from amicable.backoffice.roles import Perm, permission_label
from amicable.disputes.models import Dispute, DisputeStatus
from amicable.domain.contact import ContactPurpose, Recipient
from amicable.domain.imputation import Component
from amicable.domain.lifecycle import (
    AgentAction,
    FileState,
    TransitionRefused,
    actions_allowed,
    check_transition,
)
from amicable.domain.mentions import LetterKind
from amicable.domain.money import ZERO, format_eur
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import (
    Claim,
    Document,
    EntryKind,
    EntrySource,
    Event,
    File,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.timeline import EventKind, record_event
from amicable.letters import content as letter_data
from amicable.letters.assembly import LetterDetails
from amicable.letters.models import ContactAttempt, LetterChannel
from amicable.letters.services import LetterOutcome, log_phone_call, produce_letter
from amicable.plans.models import PaymentPlan, PlanStatus
from amicable.plans.rules import AGENT_RULES, SELF_SERVICE_STATES
from amicable.plans.selectors import get_open_plan
from amicable.plans.services import PlanError, request_payment_plan
from amicable.workflow.letter_queue import requeue_letter

__all__ = [
    "AGENT_LETTERS",
    "AGENT_PLAN_RULES",
    "REJECTION_LABELS",
    "REJECTION_SENTENCES",
    "BackofficeError",
    "DisputeOutcome",
    "PaidTo",
    "ProofPayment",
    "Reduction",
    "RejectionReason",
    "add_note",
    "agree_payment_plan",
    "assign_work_item",
    "close_work_item",
    "closes_by_decision",
    "log_call",
    "requeue_refused_letter",
    "resolve_dispute",
    "resume_collection",
    "review_proof",
    "send_letter",
]

#: What an agent may agree: the plans app's agent limits (``plans.rules.AGENT_RULES``).
AGENT_PLAN_RULES = AGENT_RULES

#: The components a charge is booked on, in the order a cancellation writes them off.
CHARGE_COMPONENTS = (
    Component.PRINCIPAL,
    Component.INDEMNITY,
    Component.INTEREST,
    Component.REMINDER_COST,
)


class BackofficeError(Exception):
    """An action refused, with a message for the staff member (nothing was written)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_action(file: File, action: AgentAction) -> None:
    if action not in actions_allowed(file.file_state):
        raise BackofficeError(
            _("This action is not open on a file in state %(state)s.") % {"state": file.state}
        )


def _debtor_date(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# --- work items ---------------------------------------------------------------------------------


@transaction.atomic
def assign_work_item(*, item: WorkItem, owner: User | None, acting_user: User) -> WorkItem:
    """Give an item to ``owner`` (``None``: back to the queue).

    An agent may only take an unassigned item for themselves; reassigning, or assigning to
    someone else, needs the supervisor's ``assign_work`` permission. Taking is a conditional
    UPDATE, so two agents clicking at once cannot both get the item.
    """
    may_assign = acting_user.has_perm(permission_label(Perm.ASSIGN_WORK))
    if owner is not None and not owner.has_perm(permission_label(Perm.WORK_FILES)):
        raise BackofficeError(_("%(name)s cannot work on files.") % {"name": owner.username})
    items = WorkItem.objects.filter(pk=item.pk, status=WorkItemStatus.OPEN)
    if not may_assign:
        if owner != acting_user:
            raise BackofficeError(_("Only a supervisor assigns work to a colleague."))
        items = items.filter(owner__isnull=True)
    if items.update(owner=owner) != 1:
        item.refresh_from_db()
        if item.status != WorkItemStatus.OPEN:
            raise BackofficeError(_("This item is already closed."))
        raise BackofficeError(
            _("This item was taken by %(name)s in the meantime.")
            % {"name": item.owner.username if item.owner else "?"}
        )
    item.refresh_from_db()
    record_event(
        item.file,
        EventKind.WORK_ITEM_ASSIGNED,
        actor=actor_name(acting_user),
        data={
            "work_item": item.pk,
            "kind": item.kind,
            "owner": owner.username if owner else None,
        },
    )
    return item


def _close_items(items: Sequence[WorkItem], *, outcome: str, actor: str, now: datetime) -> int:
    return WorkItem.objects.filter(pk__in=[i.pk for i in items], status=WorkItemStatus.OPEN).update(
        status=WorkItemStatus.DONE, outcome=outcome[:500], closed_by=actor, closed_at=now
    )


def closes_by_decision(item: WorkItem) -> bool:
    """Whether ``item`` closes only with the decision it calls for, never by hand.

    A proof still waiting for its review is closed by accepting or rejecting it
    (:func:`review_proof`), a dispute that holds its file by resolving it
    (:func:`resolve_dispute`): that way the debtor is always told the outcome. A proof that a
    bank movement confirmed, or a dispute raised on a file that did not move (paid, or in a
    debt mediation), is closed by hand with what was done. A payment plan request closes by
    agreeing or refusing it (``plans.services.agree_plan_request``, ``refuse_plan_request``).
    """
    if item.kind == WorkItemKind.PROOF_REVIEW and item.document is not None:
        return item.document.review_status == ReviewStatus.PENDING
    if item.kind == WorkItemKind.DISPUTE and item.file is not None:
        return item.file.file_state == FileState.DISPUTED
    plan_id = item.data.get("plan_id") if isinstance(item.data, dict) else None
    if item.kind == WorkItemKind.PAYMENT_PLAN_REQUEST and isinstance(plan_id, int):
        return PaymentPlan.objects.filter(pk=plan_id, status=PlanStatus.REQUESTED).exists()
    return False


@transaction.atomic
def close_work_item(*, item: WorkItem, outcome: str, acting_user: User, now: datetime) -> WorkItem:
    """Mark an item done with what was done about it (see :func:`closes_by_decision`)."""
    if closes_by_decision(item):
        raise BackofficeError(_("This item is closed by deciding on it from the file."))
    if not outcome.strip():
        raise BackofficeError(_("Say what was done."))
    actor = actor_name(acting_user)
    if _close_items([item], outcome=outcome, actor=actor, now=now) != 1:
        raise BackofficeError(_("This item is already closed."))
    item.refresh_from_db()
    record_event(
        item.file,
        EventKind.WORK_ITEM_CLOSED,
        actor=actor,
        message=outcome,
        data={"work_item": item.pk, "kind": item.kind},
    )
    return item


# --- proof of payment ---------------------------------------------------------------------------


class RejectionReason(StrEnum):
    """Why a proof of payment is refused; each has a sentence for the debtor in four languages."""

    UNREADABLE = "unreadable"
    TRANSFER_ORDER = "transfer_order"
    DETAILS_MISSING = "details_missing"
    OTHER_PAYMENT = "other_payment"
    NOT_RECEIVED = "not_received"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(REJECTION_LABELS[self])


# What the debtor reads (journeys.md, journey 3: what a clear proof shows). For OTHER the
# agent writes the reason.
REJECTION_SENTENCES = {
    RejectionReason.UNREADABLE: gettext_lazy("The document cannot be read."),
    RejectionReason.TRANSFER_ORDER: gettext_lazy(
        "It is a transfer order, not a proof that the payment was made."
    ),
    RejectionReason.DETAILS_MISSING: gettext_lazy(
        "It does not show the amount, the date, the reference used and the accounts paid "
        "from and to."
    ),
    RejectionReason.OTHER_PAYMENT: gettext_lazy("It concerns another payment or another file."),
    RejectionReason.NOT_RECEIVED: gettext_lazy(
        "Neither we nor the creditor have received the payment it shows."
    ),
}
#: The choices the agent sees.
REJECTION_LABELS = {
    **REJECTION_SENTENCES,
    RejectionReason.OTHER: gettext_lazy("Another reason, written below for the debtor"),
}


class PaidTo(StrEnum):
    AGENCY = "agency"
    CREDITOR = "creditor"


@dataclass(frozen=True, slots=True)
class ProofPayment:
    """The payment an accepted proof shows."""

    amount: Decimal
    value_date: date
    paid_to: PaidTo


@transaction.atomic
def review_proof(
    *,
    document: Document,
    accepted: bool,
    acting_user: User,
    now: datetime,
    reason: RejectionReason | None = None,
    note_for_debtor: str = "",
    payment: ProofPayment | None = None,
) -> Event:
    """Accept or reject a proof of payment a debtor uploaded (journeys.md, journey 3).

    The document gets its review status, the proof-review item closes, and the debtor is told
    on the timeline in their language. An accepted proof of a payment made **to the creditor**
    is posted as a creditor payment (imputed like any payment, legal.md section 6); a payment
    made **to the agency** is posted from the bank statement that carries it, never by hand, so
    the same money cannot be booked twice.
    """
    file = ledger.lock_file(document.file_id)
    _check_action(file, AgentAction.REVIEW_PROOF)
    if not accepted and reason is None:
        raise BackofficeError(_("Choose why the proof is rejected."))
    if reason is RejectionReason.OTHER and not note_for_debtor.strip():
        raise BackofficeError(_("Write the reason for the debtor."))
    actor = actor_name(acting_user)
    status = ReviewStatus.ACCEPTED if accepted else ReviewStatus.REJECTED
    updated = Document.objects.filter(pk=document.pk, review_status=ReviewStatus.PENDING).update(
        review_status=status,
        review_reason=(reason.value if reason else "")
        + (f": {note_for_debtor.strip()}" if note_for_debtor.strip() else ""),
        reviewed_by=actor,
        reviewed_at=now,
    )
    if updated != 1:
        raise BackofficeError(_("This document is not waiting for a review."))
    posting = None
    if accepted and payment is not None and payment.paid_to is PaidTo.CREDITOR:
        try:
            posting = ledger.post_payment(
                file=file,
                amount=payment.amount,
                value_date=payment.value_date,
                actor=actor,
                source=EntrySource.AGENT,
                source_reference=f"document:{document.pk}",
                kind=EntryKind.CREDITOR_PAYMENT,
                note=f"proof of payment {document.original_name}",
            )
        except ledger.LedgerError as exc:
            raise BackofficeError(str(exc)) from exc
    _close_items(
        list(
            WorkItem.objects.filter(
                document=document, kind=WorkItemKind.PROOF_REVIEW, status=WorkItemStatus.OPEN
            )
        ),
        outcome=f"{status}" + (f" ({reason})" if reason else ""),
        actor=actor,
        now=now,
    )
    with translation.override(file.debtor.language):
        if accepted:
            message = _("We accepted your proof of payment “%(name)s”.") % {
                "name": document.original_name
            }
            if posting is not None and payment is not None:
                message += " " + _(
                    "The payment of %(amount)s of %(date)s to the creditor is now shown on "
                    "your file."
                ) % {
                    "amount": format_eur(payment.amount, file.debtor.language),
                    "date": _debtor_date(payment.value_date),
                }
        else:
            assert reason is not None
            message = _("We could not accept your proof of payment “%(name)s”.") % {
                "name": document.original_name
            }
            if reason in REJECTION_SENTENCES:
                message += " " + str(REJECTION_SENTENCES[reason])
            if note_for_debtor.strip():
                message += " " + note_for_debtor.strip()
            message += " " + _(
                "You can upload a clear proof, or pay the amount shown on your file."
            )
    event = record_event(
        file,
        EventKind.PROOF_ACCEPTED if accepted else EventKind.PROOF_REJECTED,
        actor=actor,
        message=message,
        data={
            "document": document.pk,
            "reason": reason.value if reason else "",
            "note": note_for_debtor.strip(),
            "payment": (
                {
                    "amount": str(payment.amount),
                    "value_date": payment.value_date.isoformat(),
                    "paid_to": payment.paid_to.value,
                    "posted": posting is not None,
                }
                if accepted and payment is not None
                else None
            ),
        },
    )
    if posting is not None:
        _close_if_paid(file, actor=actor, on=timezone.localdate(now))
    return event


def _close_if_paid(file: File, *, actor: str, on: date) -> None:
    """A payment that leaves nothing due ends the file (old Civil Code art. 1234)."""
    balance = ledger.file_balance(file, as_of=on)
    if balance.outstanding > ZERO:
        return
    try:
        check_transition(file.file_state, FileState.PAID)
    except TransitionRefused:
        return
    change_file_state(file=file, new_state=FileState.PAID, actor=actor, reason="paid", on=on)


# --- disputes -----------------------------------------------------------------------------------


class DisputeOutcome(StrEnum):
    #: The debtor is right about everything: every charge is written off and the file closes.
    CANCEL = "cancel"
    #: The debtor is partly right: some charges are reduced, collection resumes for the rest.
    REDUCE = "reduce"
    #: The debt is due: collection resumes with a new formal notice.
    CONFIRM = "confirm"


@dataclass(frozen=True, slots=True)
class Reduction:
    claim: Claim
    component: Component
    amount: Decimal


# Where a file resumes after a dispute (CEL art. XIX.7 §3: "with a new notice"). A dispute
# raised before the claim was chargeable goes back to where it stood: the first reminder and
# its 14 days must not be skipped (CEL art. XIX.2).
_PRE_NOTICE = frozenset({FileState.FIRST_REMINDER_PENDING, FileState.GRACE_PERIOD})


def _state_before(file: File) -> FileState | None:
    """The state the file was in before it entered its current one (from the timeline)."""
    last = (
        Event.objects.filter(file=file, kind="state_changed", data__to=file.state)
        .order_by("-at", "-id")
        .values_list("data", flat=True)
        .first()
    )
    if isinstance(last, dict) and last.get("from") in {s.value for s in FileState}:
        return FileState(last["from"])
    return None


def resume_state_after_dispute(file: File) -> FileState:
    before = _state_before(file)
    if before in _PRE_NOTICE:
        assert before is not None
        return before
    return FileState.FORMAL_NOTICE


@transaction.atomic
def resolve_dispute(
    *,
    file: File,
    outcome: DisputeOutcome,
    explanation: str,
    acting_user: User,
    today: date,
    now: datetime,
    reductions: Sequence[Reduction] = (),
) -> Event:
    """Settle a reasoned dispute after checking the file (CEL art. XIX.7 §3).

    In the debtor's favour the charges are reduced (``REDUCE``) or written off (``CANCEL``)
    through the ledger, which releases what was already paid on them; a confirmed debt
    (``CONFIRM``) resumes with a new formal notice. The dispute items close, and the debtor is
    told the outcome in their language.
    """
    file = ledger.lock_file(file.pk)
    _check_action(file, AgentAction.RESOLVE_DISPUTE)
    if not explanation.strip():
        raise BackofficeError(_("Explain the decision to the debtor."))
    if outcome is DisputeOutcome.REDUCE and not reductions:
        raise BackofficeError(_("Say what is reduced."))
    actor = actor_name(acting_user)
    reason = f"dispute resolved: {outcome.value}"
    written: list[dict[str, str]] = []
    try:
        if outcome is DisputeOutcome.CANCEL:
            claims = {claim.pk: claim for claim in file.claims.order_by("due_date", "id")}
            for entry in ledger.write_off_claims(
                claims=list(claims.values()),
                on=today,
                actor=actor,
                reason=f"dispute upheld: {explanation.strip()}",
            ):
                assert entry.claim_id is not None
                written.append(
                    _reduction_data(
                        claims[entry.claim_id], Component(entry.component), -entry.amount
                    )
                )
        for reduction in reductions if outcome is DisputeOutcome.REDUCE else ():
            if reduction.claim.file_id != file.pk:
                raise BackofficeError(_("This claim belongs to another file."))
            ledger.reduce_charge(
                claim=reduction.claim,
                component=reduction.component,
                amount=reduction.amount,
                on=today,
                actor=actor,
                reason=f"dispute partly upheld: {explanation.strip()}",
            )
            written.append(_reduction_data(reduction.claim, reduction.component, reduction.amount))
    except ledger.LedgerError as exc:
        raise BackofficeError(str(exc)) from exc

    after = ledger.file_balance(file, as_of=today)
    if outcome is DisputeOutcome.CANCEL:
        new_state = FileState.CLOSED
    elif after.outstanding <= ZERO:
        new_state = FileState.PAID if after.paid > ZERO else FileState.CLOSED
    else:
        new_state = resume_state_after_dispute(file)
    change_file_state(file=file, new_state=new_state, actor=actor, reason=reason, on=today)
    # The debtor sees the dispute's status in the portal: it ends with the decision.
    Dispute.objects.filter(file=file, status=DisputeStatus.OPEN).update(
        status=DisputeStatus.REJECTED
        if outcome is DisputeOutcome.CONFIRM
        else DisputeStatus.UPHELD,
        resolved_on=today,
    )
    _close_items(
        list(WorkItem.objects.filter(file=file, kind=WorkItemKind.DISPUTE)),
        outcome=f"{outcome.value}: {explanation.strip()}",
        actor=actor,
        now=now,
    )
    language = file.debtor.language
    with translation.override(language):
        reduced = sum((Decimal(w["amount"]) for w in written), ZERO)
        if outcome is DisputeOutcome.CANCEL:
            message = _(
                "We checked your file and agree with you: the amount claimed is cancelled and "
                "your file is closed."
            )
        elif outcome is DisputeOutcome.REDUCE:
            message = _(
                "We checked your file and agree with you in part: %(amount)s is taken off what "
                "you owe."
            ) % {"amount": format_eur(reduced, language)}
        else:
            message = _("We checked your file: the amount claimed is due.")
        if new_state is FileState.FORMAL_NOTICE:
            message += " " + _(
                "You will receive a new formal notice, which gives you again 14 days to pay, "
                "ask for a payment plan or contact us."
            )
        if after.credit > ZERO:
            message += " " + _("The %(amount)s you paid too much will be paid back to you.") % {
                "amount": format_eur(after.credit, language)
            }
        message += " " + explanation.strip()
    return record_event(
        file,
        EventKind.DISPUTE_RESOLVED,
        actor=actor,
        message=message,
        data={
            "outcome": outcome.value,
            "explanation": explanation.strip(),
            "reductions": written,
            "state": new_state.value,
            "credit": str(after.credit),
        },
    )


def _reduction_data(claim: Claim, component: Component, amount: Decimal) -> dict[str, str]:
    return {"claim": claim.creditor_reference, "component": component.value, "amount": str(amount)}


# --- calls and notes ----------------------------------------------------------------------------


def log_call(
    *,
    file: File,
    recipient: Recipient,
    purpose: ContactPurpose,
    note: str,
    acting_user: User,
    now: datetime,
) -> ContactAttempt:
    """Check a phone call against the contact rules, and log it or its refusal.

    Through the one contact guard of every outbound contact
    (``amicable.letters.services.log_phone_call``), so that calls, letters and e-mails count
    together towards the limits (legal.md section 4: no third party, not while collection is
    suspended, hours, Sundays and holidays, at most one call a day and three a week). The rules
    decide at the moment the call is logged. A refused call is kept, shown to the agent and put
    on the timeline, so that a compliance officer sees what the rules stopped.
    """
    _check_action(file, AgentAction.LOG_CALL)
    return log_phone_call(
        file=file,
        actor=actor_name(acting_user),
        at=now,
        note=note.strip(),
        recipient=recipient,
        purpose=purpose,
    )


def add_note(*, file: File, text: str, acting_user: User) -> Event:
    """An internal note on the timeline (never shown to the debtor)."""
    _check_action(file, AgentAction.ADD_NOTE)
    if not text.strip():
        raise BackofficeError(_("The note is empty."))
    return record_event(
        file, EventKind.NOTE_ADDED, actor=actor_name(acting_user), message=text.strip()
    )


# --- payment plans ------------------------------------------------------------------------------


@transaction.atomic
def agree_payment_plan(
    *,
    file: File,
    instalment_count: int,
    first_due_on: date,
    note: str,
    acting_user: User,
    today: date,
) -> PaymentPlan:
    """Agree a payment plan with the debtor (on the phone, or after looking at a request).

    The plan goes through ``amicable.plans.services.request_payment_plan`` with the agent's
    wider rules (:data:`AGENT_PLAN_RULES`), so it is built, numbered and recorded exactly like
    a plan agreed in the portal. A plan settles collection only where the portal's would
    (after the formal notice or during collection, ``plans.rules.SELF_SERVICE_STATES``): a
    disputed, held or mediated file is first settled by its own decision.
    """
    _check_action(file, AgentAction.AGREE_PAYMENT_PLAN)
    if file.file_state not in SELF_SERVICE_STATES:
        raise BackofficeError(
            _(
                "The file is in state %(state)s: decide on that first. A plan is agreed after "
                "the formal notice or during collection."
            )
            % {"state": file.state}
        )
    try:
        result = request_payment_plan(
            file=file,
            instalment_count=instalment_count,
            first_due_on=first_due_on,
            today=today,
            actor=actor_name(acting_user),
            note=note.strip(),
            rules=AGENT_PLAN_RULES,
        )
    except PlanError as exc:
        raise BackofficeError(str(exc)) from exc
    if not result.accepted:
        # Beyond even the agent's rules: nothing is kept (the whole transaction rolls back).
        raise BackofficeError(
            _("An agent agrees at most 99 instalments, the first within a year (%(why)s).")
            % {"why": ", ".join(result.breaches)}
        )
    return result.plan


# --- refused letters ----------------------------------------------------------------------------


@transaction.atomic
def requeue_refused_letter(
    *, item: WorkItem, acting_user: User, today: date, now: datetime
) -> WorkItem:
    """Queue a refused letter again once its cause is corrected, and close the item.

    The letters batch checks the letter again before it is produced (mandatory mentions,
    caps, CEL art. XIX.7 §2), so a letter still wrong comes back to this queue.
    """
    letter_id = item.data.get("letter_request") if isinstance(item.data, dict) else None
    if item.kind != WorkItemKind.LETTER_REFUSED or not isinstance(letter_id, int):
        raise BackofficeError(_("This item is not a refused letter."))
    if item.status != WorkItemStatus.OPEN:
        raise BackofficeError(_("This item is already closed."))
    actor = actor_name(acting_user)
    try:
        requeue_letter(request_id=letter_id, due_on=today, actor=actor)
    except ValueError as exc:
        raise BackofficeError(str(exc)) from exc
    outcome = f"letter request {letter_id} queued again for {today.isoformat()}"
    _close_items([item], outcome=outcome, actor=actor, now=now)
    item.refresh_from_db()
    return item


# --- letters ------------------------------------------------------------------------------------

#: The letters an agent sends by hand; the others follow the collection strategy (daily run).
AGENT_LETTERS = (LetterKind.STATEMENT_OF_ACCOUNT, LetterKind.PAYMENT_PLAN_CONFIRMATION)


def send_letter(
    *, file: File, kind: LetterKind, channel: LetterChannel, acting_user: User, now: datetime
) -> LetterOutcome:
    """Produce a letter an agent sends by hand, through ``letters.services.produce_letter``.

    The letters service asks the contact guard, checks every mandatory mention and figure
    (CEL art. XIX.2, XIX.4, XIX.7 §2), archives the PDF as sent and, by e-mail, queues it; a
    refused letter is reported in the outcome, never half sent.
    """
    _check_action(file, AgentAction.SEND_LETTER)
    if kind not in AGENT_LETTERS:
        raise BackofficeError(_("This letter is sent by the collection strategy, not by hand."))
    details = None
    if kind is LetterKind.PAYMENT_PLAN_CONFIRMATION:
        plan = get_open_plan(file)
        if plan is None or plan.status != PlanStatus.ACTIVE:
            raise BackofficeError(_("No agreed payment plan runs on this file."))
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
        actor=actor_name(acting_user),
        channel=channel,
        on=timezone.localdate(now),
        at=now,
        details=details,
    )


# --- lifting a hold -----------------------------------------------------------------------------

# Where a lifted hold or an ended mediation goes back to: where the file stood, when that stage
# can simply continue. The 14-day waiting period after a notice cannot be resumed half-way: a
# new formal notice is sent (CEL art. XIX.7 §1 and §3), as after any other stage.
_CONTINUES = frozenset(
    {
        FileState.FIRST_REMINDER_PENDING,
        FileState.GRACE_PERIOD,
        FileState.FORMAL_NOTICE,
        FileState.IN_COLLECTION,
        FileState.PAYMENT_PLAN,
    }
)


def resume_state(file: File) -> FileState:
    """Where :func:`resume_collection` takes ``file``.

    A collective debt settlement ends here only by its revocation, which gives the creditor
    its individual rights back (Judicial Code art. 1675/15): collection resumes. A hold or a
    debt mediation goes back to the stage the file had reached, or to a new formal notice.
    """
    if file.file_state == FileState.COLLECTIVE_SETTLEMENT:
        return FileState.IN_COLLECTION
    before = _state_before(file)
    if before in _CONTINUES:
        assert before is not None
        return before
    return FileState.FORMAL_NOTICE


@transaction.atomic
def resume_collection(*, file: File, reason: str, acting_user: User, today: date) -> FileState:
    """Lift a hold (the documents asked for were given, CEL art. XIX.7 §3), record the end of a
    debt mediation (CEL Book XIX, Title 3) or the revocation of a collective settlement."""
    file = ledger.lock_file(file.pk)
    _check_action(file, AgentAction.RESUME)
    if not reason.strip():
        raise BackofficeError(_("Say why collection resumes."))
    target = resume_state(file)
    change_file_state(
        file=file,
        new_state=target,
        actor=actor_name(acting_user),
        reason=reason.strip(),
        on=today,
    )
    return target
