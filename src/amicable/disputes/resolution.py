"""An agent resolves a reasoned dispute after checking the file (CEL art. XIX.7 §3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amicable.disputes.errors import DisputeError
from amicable.disputes.holds import resumption
from amicable.disputes.models import Dispute, DisputeStatus
from amicable.domain.imputation import Component
from amicable.domain.lifecycle import AgentAction, FileState
from amicable.domain.money import ZERO, format_eur
from amicable.files import ledger
from amicable.files.actions import check_action
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Claim, Event, File, WorkItem, WorkItemKind
from amicable.files.timeline import EventKind, record_event
from amicable.files.work_queue import close_items

__all__ = ["DisputeOutcome", "Reduction", "resolve_dispute"]


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


@transaction.atomic
def resolve_dispute(
    *,
    file: File,
    outcome: DisputeOutcome,
    explanation: str,
    actor: str,
    today: date,
    now: datetime,
    reductions: Sequence[Reduction] = (),
) -> Event:
    """Settle a reasoned dispute after checking the file (CEL art. XIX.7 §3).

    In the debtor's favour the charges are reduced (``REDUCE``) or written off (``CANCEL``)
    through the ledger, which releases what was already paid on them. Where something is still
    owed, collection resumes where every lifted hold resumes
    (:func:`amicable.disputes.holds.resumption`): with a new formal notice once one was sent,
    the plan if one still runs. The dispute items close, and the debtor is told the outcome in
    their language.
    """
    file = ledger.lock_file(file.pk)
    check_action(file, AgentAction.RESOLVE_DISPUTE)
    if not explanation.strip():
        raise DisputeError(_("Explain the decision to the debtor."))
    if outcome is DisputeOutcome.REDUCE and not reductions:
        raise DisputeError(_("Say what is reduced."))
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
                raise DisputeError(_("This claim belongs to another file."))
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
        raise DisputeError(str(exc)) from exc

    after = ledger.file_balance(file, as_of=today)
    if outcome is DisputeOutcome.CANCEL:
        new_state = FileState.CLOSED
    elif after.outstanding <= ZERO:
        new_state = FileState.PAID if after.paid > ZERO else FileState.CLOSED
    else:
        new_state = resumption(file, today=today)
    change_file_state(file=file, new_state=new_state, actor=actor, reason=reason, on=today)
    # The debtor sees the dispute's status in the portal: it ends with the decision.
    Dispute.objects.filter(file=file, status=DisputeStatus.OPEN).update(
        status=DisputeStatus.REJECTED
        if outcome is DisputeOutcome.CONFIRM
        else DisputeStatus.UPHELD,
        resolved_on=today,
    )
    close_items(
        WorkItem.objects.filter(file=file, kind=WorkItemKind.DISPUTE),
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
        elif new_state is FileState.PAYMENT_PLAN:
            message += " " + _("Your payment plan goes on: pay the next instalments as agreed.")
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
