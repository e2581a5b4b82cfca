"""The ways to disagree (docs/journeys.md, journey 4), as guided pages of the portal.

A file offers only those that fit its creditor's sector
(:func:`amicable.disputes.reasons.reasons_for_sector`, the one home of that rule).

Each path says what the consumer should have done, what evidence to upload, and, for the two
paths that are mostly information, what the law and the sector regulators say. The texts are
translated strings, so each path reads the same in the four languages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amicable.disputes.models import DisputeReason
from amicable.disputes.reasons import reasons_for_sector


@dataclass(frozen=True, slots=True)
class Link:
    label: Promise
    url: Promise


@dataclass(frozen=True, slots=True)
class DisputePath:
    reason: DisputeReason
    slug: str
    title: Promise
    should_have: Promise | None
    evidence: Promise
    information: tuple[Promise, ...] = ()
    links: tuple[Link, ...] = ()
    #: Without a proof, the dispute can hardly be upheld: the portal says that payment is then
    #: expected within 3 working days (docs/journeys.md, journey 4).
    proof_expected: bool = True


REGULATORS = (
    Link(
        _("Energy: the Ombudsman for Energy"),
        # Translators: the address of the Ombudsman for Energy's site in your language.
        _("https://www.ombudsmanenergie.be"),
    ),
    Link(
        _("Telecom: the Ombudsman for Telecommunications"),
        # Translators: the address of the Ombudsman for Telecommunications' site.
        _("https://www.ombudsmantelecom.be"),
    ),
    Link(
        _("Insurance: the Ombudsman for Insurance"),
        # Translators: the address of the Ombudsman for Insurance's site.
        _("https://www.ombudsman-insurance.be"),
    ),
)

PATHS: tuple[DisputePath, ...] = (
    DisputePath(
        reason=DisputeReason.RETURNED_ITEM,
        slug="returned-item",
        title=_("I returned the item"),
        should_have=_(
            "Return the item within the withdrawal period, usually 14 to 30 days after "
            "delivery, as the general terms of sale say."
        ),
        evidence=_("The proof of return with the postal stamp, or the carrier's receipt."),
    ),
    DisputePath(
        reason=DisputeReason.ITEM_NOT_RECEIVED,
        slug="item-not-received",
        title=_("I never received the item"),
        should_have=_("Tell the seller in time, and in writing, that the item did not arrive."),
        evidence=_("A copy of that written notice to the seller."),
    ),
    DisputePath(
        reason=DisputeReason.CONTRACT_CANCELLED,
        slug="contract-cancelled",
        title=_("I cancelled the contract"),
        should_have=_("Cancel in time and in writing, as the general terms provide."),
        evidence=_("The proof of your cancellation, with its date."),
    ),
    DisputePath(
        reason=DisputeReason.INVOICES_AFTER_CANCELLATION,
        slug="invoices-after-cancellation",
        title=_("I got invoices after cancelling"),
        should_have=None,
        evidence=_(
            "None is needed; or a proof that the invoice is wrong, for example the "
            "confirmation of your cancellation with its date."
        ),
        information=(
            _(
                "Invoices can rightly come after a cancellation: many contracts end only after "
                "a notice period, and the final settlement invoice is sent after the end of "
                "the contract."
            ),
            _(
                "For a disagreement with an energy, telecom or insurance provider, the sector's "
                "ombudsman helps you free of charge:"
            ),
        ),
        links=REGULATORS,
        proof_expected=False,
    ),
    DisputePath(
        reason=DisputeReason.NEVER_SIGNED,
        slug="never-signed",
        title=_("I never signed a contract"),
        should_have=None,
        evidence=_(
            "Any document that helps, for example a police report if someone used your identity."
        ),
        information=(
            _(
                "A contract does not need a signature on paper: confirming an order online, by "
                "clicking a button such as “confirm” or “buy”, is a contract."
            ),
            _("If you still think there is no contract, tell us below: an agent reviews the case."),
        ),
        proof_expected=False,
    ),
    DisputePath(
        reason=DisputeReason.INVOICE_NOT_RECEIVED,
        slug="invoice-not-received",
        title=_("I never received the invoice"),
        should_have=_(
            "A consumer must follow up the invoices they expect: tell the seller in time, and "
            "in writing, that the invoice did not arrive."
        ),
        evidence=_("A proof of that written notice to the seller."),
    ),
    DisputePath(
        reason=DisputeReason.SERVICE_DISPUTED,
        slug="service-disputed",
        title=_("I disputed the service or its quality with the seller"),
        should_have=_(
            "Dispute the service or its quality with the seller, in time and in writing."
        ),
        evidence=_(
            "The original dated e-mail, a registered letter with its proof of posting, or a fax "
            "with its transmission report."
        ),
    ),
    DisputePath(
        reason=DisputeReason.AMOUNT_WRONG,
        slug="amount-wrong",
        title=_("The amount is wrong"),
        should_have=None,
        evidence=_(
            "The invoices, receipts or account statements that show the amount you think is right."
        ),
        information=(
            _(
                "Say which amount is wrong and why: an agent checks every line of the "
                "breakdown against the invoices and your payments."
            ),
        ),
        proof_expected=False,
    ),
    DisputePath(
        reason=DisputeReason.NOT_THE_DEBTOR,
        slug="not-the-debtor",
        title=_("I am not the debtor (identity theft)"),
        should_have=None,
        evidence=_(
            "The police report if someone used your identity, or any document that shows you "
            "are not the person this debt is about."
        ),
        information=(
            _(
                "If someone used your identity, report it to the police and send us the "
                "report: collection stops while an agent checks."
            ),
        ),
        proof_expected=False,
    ),
    DisputePath(
        reason=DisputeReason.TIME_BARRED,
        slug="time-barred",
        title=_("This debt is time-barred"),
        should_have=None,
        evidence=_(
            "None is needed; a document that shows when you last paid or acknowledged this "
            "debt helps."
        ),
        information=(
            _(
                "After a period set by law a debt can no longer be claimed: 1 year for goods a "
                "merchant sold you, 5 years for energy and telecom invoices, 10 years for most "
                "other debts. It counts from the due date, or from your last payment, written "
                "acknowledgement or request for a payment plan. A collection agency's letter "
                "does not restart it."
            ),
        ),
        proof_expected=False,
    ),
    DisputePath(
        reason=DisputeReason.OTHER,
        slug="other-reason",
        title=_("Another reason"),
        should_have=None,
        evidence=_("Any document that supports what you say."),
        proof_expected=False,
    ),
)

BY_SLUG = {path.slug: path for path in PATHS}
BY_REASON = {path.reason.value: path for path in PATHS}


def paths_for_sector(sector: str) -> tuple[DisputePath, ...]:
    """The paths a file of a creditor in ``sector`` offers, in the order of :data:`PATHS`."""
    offered = set(reasons_for_sector(sector))
    return tuple(path for path in PATHS if path.reason in offered)
