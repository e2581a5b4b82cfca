"""A file's history as its debtor reads it: the events meant for the debtor, in the debtor's
language (the portal's file page, and the download of everything held about them).

Only the kinds the timeline lets a debtor read are shown (``files.selectors.list_timeline``).
An event whose message was written to the debtor, in their language, shows that message
(``files.timeline.is_worded_for_debtor``); any other shows the sentence of its kind below, in
the language active when it is read: its message is the agency's own note, in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amicable.domain.lifecycle import FileState
from amicable.domain.money import format_eur
from amicable.files.models import Event, File
from amicable.files.selectors import list_timeline
from amicable.files.timeline import Audience, EventKind, is_worded_for_debtor

__all__ = ["AMOUNT_SENTENCES", "SENTENCES", "STATE_SENTENCES", "HistoryEntry", "debtor_history"]

#: What happened, for the kinds a debtor reads whose sentence names no amount.
SENTENCES: dict[str, Promise] = {
    EventKind.FILE_CREATED: _("Your creditor handed your file over to us."),
    EventKind.CLAIM_ADDED: _("An invoice was added to your file."),
    EventKind.FIRST_REMINDER_DATED: _(
        "The free first reminder was sent: its 14-day period counts from that day."
    ),
    EventKind.INTEREST_BOOKED: _("Late interest was counted on your file."),
    EventKind.INTEREST_RECALCULATED: _("The late interest of your file was counted again."),
    EventKind.OVERPAYMENT: _("You paid more than you owed: we will pay it back."),
    EventKind.DOCUMENT_UPLOADED: _("The creditor added a document to your file."),
    EventKind.PROOF_OF_PAYMENT_UPLOADED: _("We received your proof of payment."),
    EventKind.PROOF_ACCEPTED: _("We accepted your proof of payment."),
    EventKind.PROOF_REJECTED: _("We could not accept your proof of payment."),
    EventKind.PROOF_CONFIRMED: _("Your proof of payment is confirmed by your bank payment."),
    EventKind.DISPUTE_OPENED: _("We received your dispute: collection is suspended."),
    EventKind.DISPUTE_RESOLVED: _("We answered your dispute."),
    EventKind.DOCUMENTS_REQUESTED: _("You asked for the supporting documents of the debt."),
    EventKind.DEBT_MEDIATION_DECLARED: _("You told us about your debt mediation."),
    EventKind.COLLECTIVE_SETTLEMENT_DECLARED: _(
        "You told us about your collective debt settlement."
    ),
    EventKind.PAYMENT_PLAN_REQUESTED: _("You asked for a payment plan."),
    EventKind.PAYMENT_PLAN_AGREED: _("Your payment plan is agreed."),
    EventKind.PAYMENT_PLAN_REFUSED: _("We could not agree to the payment plan you asked for."),
    EventKind.PAYMENT_PLAN_BROKEN: _("Your payment plan has ended: instalments were unpaid."),
    EventKind.LETTER_PRODUCED: _("We sent you a letter."),
    EventKind.EMAIL_SENT: _("We sent you an e-mail."),
    EventKind.LETTER_DISPATCHED: _(
        "A letter was sent to you: the periods it gives you count from the day it was sent."
    ),
    EventKind.LETTER_SENT_BY_POST_INSTEAD: _(
        "Our e-mail could not be delivered to you: the letter is sent to you by post instead."
    ),
    EventKind.STATEMENT_DOWNLOADED: _("You downloaded a statement of account."),
    EventKind.PERSONAL_DATA_DOWNLOADED: _("You downloaded the data we hold about you."),
}

#: What happened, with the amount the event's data gives (``data["amount"]``).
AMOUNT_SENTENCES: dict[str, Promise] = {
    EventKind.INDEMNITY_CHARGED: _("A lump-sum indemnity of %(amount)s was charged."),
    EventKind.REMINDER_COST_CHARGED: _("A reminder cost of %(amount)s was charged."),
    EventKind.CHARGE_REDUCED: _("%(amount)s was taken off what you owe."),
    EventKind.PAYMENT_POSTED: _("A payment of %(amount)s was registered."),
    EventKind.PAYMENT_REVERSED: _("A payment of %(amount)s was returned by the bank."),
    EventKind.CREDIT_REFUNDED: _("%(amount)s was paid back to you."),
}

#: Where the file went, for a change of its stage (``data["to"]``).
STATE_SENTENCES: dict[str, Promise] = {
    FileState.NEW: _("Your file was received."),
    FileState.FIRST_REMINDER_PENDING: _("A free first reminder is being prepared."),
    FileState.GRACE_PERIOD: _("The 14-day period of the free first reminder is running."),
    FileState.FORMAL_NOTICE: _("Your file reached the stage of the formal notice."),
    FileState.WAITING_PERIOD: _("The 14-day period after the formal notice is running."),
    FileState.IN_COLLECTION: _("Amicable collection of your file is under way."),
    FileState.PAYMENT_PLAN: _("Your payment plan is running."),
    FileState.SUSPENDED: _("Collection is suspended."),
    FileState.DISPUTED: _("Collection is suspended while we check your dispute."),
    FileState.DEBT_MEDIATION: _("Collection is suspended during your debt mediation."),
    FileState.COLLECTIVE_SETTLEMENT: _(
        "Collection is suspended during your collective debt settlement."
    ),
    FileState.PAID: _("Your file is paid."),
    FileState.CLOSED: _("Your file is closed."),
}

#: For a change of stage the data does not name, or an amount it does not give.
UPDATED = _("Your file was updated.")


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    kind: str
    text: str


def _language() -> str:
    language = (get_language() or "fr")[:2]
    return language if language in {"fr", "nl", "de", "en"} else "fr"


def _sentence(event: Event) -> str:
    data = event.data if isinstance(event.data, dict) else {}
    if event.message and is_worded_for_debtor(event.kind):
        return event.message
    if event.kind == EventKind.STATE_CHANGED:
        return str(STATE_SENTENCES.get(str(data.get("to")), UPDATED))
    if event.kind in AMOUNT_SENTENCES:
        try:
            amount = Decimal(str(data["amount"]))
        except (KeyError, InvalidOperation):
            return str(UPDATED)
        return str(AMOUNT_SENTENCES[event.kind]) % {"amount": format_eur(amount, _language())}
    return str(SENTENCES.get(event.kind, UPDATED))


def debtor_history(file: File, *, newest_first: bool = True) -> list[HistoryEntry]:
    """The events of ``file`` its debtor may read, each told in the active language."""
    events = list_timeline(file, audience=Audience.DEBTOR)
    if newest_first:
        events.reverse()
    return [HistoryEntry(at=e.at, kind=e.kind, text=_sentence(e)) for e in events]
