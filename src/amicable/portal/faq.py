"""Frequently asked questions of the portal (journey 7), searched server-side in any language.

The entries are translated strings, so the search runs on the text the debtor reads. They say
what the law says (CEL Book XIX; docs/legal.md) and what the agency promises (docs/journeys.md): the
figures of the law are filled in from :mod:`amicable.domain.law` (:mod:`amicable.portal.figures`),
in the reader's language, so an answer cannot quote a cap the ledger does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amicable.portal.figures import law_figures


def _language() -> str:
    language = (get_language() or "fr")[:2]
    return language if language in {"fr", "nl", "de", "en"} else "fr"


def _with_figures(text: Promise) -> Promise:
    """``text`` with the law's figures filled in, in the language active when it is read."""
    filled = lazy(lambda: str(text) % law_figures(_language()), str)()
    return cast(Promise, filled)


@dataclass(frozen=True, slots=True)
class Entry:
    question: Promise
    answer: Promise


ENTRIES: tuple[Entry, ...] = (
    Entry(
        _("Why do I receive a letter from a collection agency?"),
        _(
            "The creditor named in your file has asked us to collect an unpaid invoice after "
            "sending you a free first reminder. We are registered with the FPS Economy to do so."
        ),
    ),
    Entry(
        _("Why must I pay more than the invoice?"),
        _(
            "When the general terms of the contract provide it, the law allows late-payment "
            "interest and a lump-sum indemnity, each within a legal cap. The indemnity is due "
            "only if the contract also gives you an indemnity of the same order when the "
            "enterprise fails in its own obligations. Your file shows each amount with the rule "
            "that set it."
        ),
    ),
    Entry(
        _("How much can the lump-sum indemnity be?"),
        _with_figures(
            _(
                "At most %(first_cap)s on a balance up to %(first_up_to)s; at most "
                "%(second_base)s plus %(second_share)s of the part above %(second_above)s on a "
                "balance up to %(second_up_to)s; at most %(third_base)s plus %(third_share)s of "
                "the part above %(third_above)s on a larger balance, and never more than "
                "%(ceiling)s. These are maximums: if the contract provides less, only that is due."
            )
        ),
    ),
    Entry(
        _("Do I have to pay for the reminders?"),
        _with_figures(
            _(
                "The first reminder is always free. A further reminder costs at most "
                "%(reminder)s plus postage. For a contract of regular supply (energy, telecom, "
                "subscription), the reminders for the first three missed due dates of a "
                "calendar year are free. Collection agency fees may never be charged to you."
            )
        ),
    ),
    Entry(
        _("When do the 14 days after the first reminder start?"),
        _(
            "For a reminder sent by post, on the third working day after the day it was sent; "
            "for a reminder sent by e-mail, on the day after it was sent. No cost or interest "
            "may be charged before the 14 days are over."
        ),
    ),
    Entry(
        _("Can I pay in instalments?"),
        _(
            "Yes. On the page of your file, choose “Payment plan”: a plan within our rules is "
            "agreed at once, and an agent answers any other request within five working days."
        ),
    ),
    Entry(
        _("I already paid. What should I do?"),
        _(
            "A payment made to us appears on your file within 3 working days, a payment made to "
            "the creditor within 5 working days. If yours is still not visible after that, send "
            "us a clear proof of payment: a bank statement extract or a screenshot of your "
            "online banking showing the amount, the date, the accounts and the communication "
            "used. A transfer order is not a proof of payment, because it does not show that "
            "the bank carried out the payment."
        ),
    ),
    Entry(
        _("I do not agree with the debt. What happens?"),
        _(
            "Tell us why, in writing, with your evidence. A reasoned dispute suspends "
            "collection until we have checked the file or sent you the evidence of the debt."
        ),
    ),
    Entry(
        _("Can I get the invoice and the contract?"),
        _(
            "Yes. You have the right to receive, without delay, the supporting documents of the "
            "debt: invoice, contract and general terms. Ask for them on the page “I do not "
            "agree” of your file."
        ),
    ),
    Entry(
        _("I cannot pay. Where can I get help?"),
        _(
            "Free debt mediation is offered by the CPAS/OCMW of your municipality and by "
            "recognised services. Tell us if a mediator helps you: we then deal with them."
        ),
    ),
    Entry(
        _("Can a debt be too old to be claimed?"),
        _(
            "Yes. After a limitation period, a debt can no longer be claimed (prescription): as "
            "a rule 1 year for goods sold by a merchant, 5 years for energy, water and telecom, "
            "and 10 years for other debts. The period starts again when you acknowledge the "
            "debt, for example by paying part of it or asking for a payment plan. Prescription "
            "is not automatic: you must invoke it yourself. This is general information, not "
            "legal advice; a debt mediation service can help you check your situation."
        ),
    ),
    Entry(
        _("How do I know a message really comes from you?"),
        _(
            "Use the check on this site with the file number, the account number and the "
            "structured communication of the message. We never ask for card details or "
            "passwords by e-mail or text message."
        ),
    ),
)


def search(query: str) -> list[Entry]:
    """The entries whose question or answer contains every word of ``query`` (any case)."""
    words = query.casefold().split()
    if not words:
        return list(ENTRIES)
    return [
        entry
        for entry in ENTRIES
        if all(word in f"{entry.question} {entry.answer}".casefold() for word in words)
    ]
