"""Frequently asked questions of the portal (journey 7), searched server-side in any language.

The entries are translated strings, so the search runs on the text the debtor reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


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
            "When the general terms of the contract provide it, the law allows a lump-sum "
            "indemnity and late interest, each within a legal cap. Your file shows each amount "
            "with the cap that applies."
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
            "Payments take up to three working days to appear. If yours is still not visible "
            "after that, send us a clear proof of payment: a bank statement extract showing the "
            "amount, the date, the accounts and the communication used."
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
