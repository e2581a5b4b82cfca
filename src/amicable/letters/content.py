"""What a letter says, as plain values: the content the letter renderer prints.

A :class:`LetterData` is a tree of frozen dataclasses holding strings, dates, ``Decimal`` amounts
and booleans, never Django model instances: the renderer needs no database, a letter can be
built in a test or a benchmark in one expression, and what was printed can be archived as data.
Amounts are in euros and dates are calendar dates; the renderer formats both for the letter's
language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from amicable.domain.mentions import AmountItem, CreditorCapacity, LetterKind
from amicable.domain.money import ZERO

__all__ = [
    "LANGUAGES",
    "Agency",
    "AmountItem",
    "Claim",
    "Creditor",
    "CreditorCapacity",
    "Debtor",
    "Dispute",
    "FutureDamages",
    "Instalment",
    "Language",
    "LetterData",
    "LetterKind",
    "Mediator",
    "Payment",
    "PostalAddress",
    "ProofDecision",
]

Language = Literal["fr", "nl", "de", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "nl", "de", "en")


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """A postal address as printed: street lines, then postal code and city.

    ``country`` is printed only when given (leave it empty for an address in Belgium).
    """

    lines: tuple[str, ...]
    postal_code: str
    city: str
    country: str = ""

    def printed_lines(self) -> tuple[str, ...]:
        """The lines of the address block, in order."""
        last = (self.country,) if self.country else ()
        return (*self.lines, f"{self.postal_code} {self.city}".strip(), *last)

    def one_line(self) -> str:
        """The address on one line, for a sender line or an identity block."""
        return ", ".join(line for line in self.printed_lines() if line)


@dataclass(frozen=True, slots=True)
class Agency:
    """The registered collector who sends the letter (CEL art. XIX.5 to XIX.15)."""

    name: str
    address: PostalAddress
    enterprise_number: str
    fps_registration: str  # registration number with the FPS Economy, printed on every letter
    phone: str
    email: str
    iban: str
    bic: str
    website: str = ""


@dataclass(frozen=True, slots=True)
class Creditor:
    """The creditor for whom the agency collects, and in which capacity (art. XIX.7 §2): the
    letter prints the capacity in its own language."""

    name: str
    enterprise_number: str
    address: PostalAddress
    phone: str
    email: str
    capacity: CreditorCapacity


@dataclass(frozen=True, slots=True)
class Debtor:
    """The consumer, addressee of every letter except the claim declaration."""

    name: str
    address: PostalAddress


@dataclass(frozen=True, slots=True)
class Mediator:
    """The debt mediator of a collective debt settlement, addressee of the claim declaration."""

    name: str
    address: PostalAddress
    case_reference: str = ""  # the court's or the mediator's reference of the settlement


@dataclass(frozen=True, slots=True)
class Claim:
    """One invoice or obligation of the file: what it is for and when it fell due."""

    invoice_number: str
    description: str  # the product or service, precisely (art. XIX.7 §2)
    invoice_date: dt.date
    due_date: dt.date
    amount: Decimal
    # Found time-barred (docs/legal.md, section 8): the letter says so next to it and never
    # presents it as owed.
    time_barred: bool = False


@dataclass(frozen=True, slots=True)
class Payment:
    """The payment box: where to pay, how much, with which structured communication."""

    beneficiary: str
    iban: str
    bic: str
    amount: Decimal
    structured_communication: str  # printed as +++ddd/dddd/ddddd+++


@dataclass(frozen=True, slots=True)
class Instalment:
    """One instalment of a payment plan, with its own structured communication."""

    number: int
    due_date: dt.date
    amount: Decimal
    structured_communication: str


@dataclass(frozen=True, slots=True)
class ProofDecision:
    """The decision on a proof of payment sent by the debtor."""

    accepted: bool
    reason: str
    received_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Dispute:
    """A reasoned dispute; ``upheld`` and ``outcome`` are set once it has been reviewed."""

    received_on: dt.date
    reason: str
    upheld: bool | None = None
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class FutureDamages:
    """What the first reminder announces if the debt stays unpaid (CEL art. XIX.2).

    ``indemnity`` is the lump sum the contract provides, already limited by the cap of
    art. XIX.4 (0.00: none); ``interest_rate`` is the yearly late-interest rate in percent, None
    when the contract provides no interest (then none is due); ``legal_rate`` tells that it is
    the civil legal interest rate (the clause sets no rate, or is deemed unwritten), not the
    contract's.
    """

    indemnity: Decimal
    interest_rate: Decimal | None
    legal_rate: bool = False


@dataclass(frozen=True, slots=True)
class LetterData:
    """Everything one letter prints, and the facts its figures are checked against.

    The period dates depend on the kind: ``grace_period_end`` is the last day to pay after the
    first reminder (art. XIX.2), ``waiting_period_end`` the last day of the 14-day waiting period
    after the formal notice, ``pay_by`` the date a later letter asks payment by.

    ``balance_for_cap`` (the outstanding balance on which the indemnity cap is computed, by
    default the principal of the items), ``reminder_chargeable``, ``postage`` and
    ``ledger_total`` (what the ledger holds as due, the figure the amount lines must add up to;
    None for a letter not built from a ledger) are not printed: they are what the figures are
    checked against before anything is rendered.
    """

    kind: LetterKind
    language: Language
    date: dt.date
    reference: str
    agency: Agency
    creditor: Creditor
    debtor: Debtor
    claims: tuple[Claim, ...] = ()
    items: tuple[AmountItem, ...] = ()
    payment: Payment | None = None
    instalments: tuple[Instalment, ...] = ()
    proof: ProofDecision | None = None
    dispute: Dispute | None = None
    future_damages: FutureDamages | None = None
    grace_period_end: dt.date | None = None
    waiting_period_end: dt.date | None = None
    pay_by: dt.date | None = None
    admissibility_date: dt.date | None = None
    mediator: Mediator | None = None
    portal_url: str = ""
    access_code: str = ""
    balance_for_cap: Decimal | None = None
    reminder_chargeable: bool = False
    postage: Decimal = ZERO
    ledger_total: Decimal | None = None

    @property
    def total(self) -> Decimal:
        """What the letter shows as due: the sum of its amount lines (deductions are negative)."""
        return sum((item.amount for item in self.items), ZERO)

    @property
    def principal(self) -> Decimal:
        """The principal among the amount lines."""
        return sum((i.amount for i in self.items if i.component == "principal"), ZERO)

    @property
    def recipient_name(self) -> str:
        """The addressee: the mediator for a claim declaration, the debtor otherwise."""
        if self.kind is LetterKind.MEDIATOR_CLAIM_DECLARATION:
            return self.mediator.name if self.mediator else ""
        return self.debtor.name

    @property
    def recipient_address(self) -> PostalAddress | None:
        """The address in the envelope window."""
        if self.kind is LetterKind.MEDIATOR_CLAIM_DECLARATION:
            return self.mediator.address if self.mediator else None
        return self.debtor.address
