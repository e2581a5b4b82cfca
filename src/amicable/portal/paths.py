"""The seven ways to disagree (docs/journeys.md, journey 4), as guided pages of the portal.

Each path says what the consumer should have done, what evidence to upload, and, for the two
paths that are mostly information, what the law and the sector regulators say. The texts are
translated strings, so each path reads the same in the four languages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amicable.disputes.models import DisputeReason


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
)

BY_SLUG = {path.slug: path for path in PATHS}
BY_REASON = {path.reason.value: path for path in PATHS}
