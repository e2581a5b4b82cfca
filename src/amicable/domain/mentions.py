"""What each letter must say, and the figures it may carry (CEL Book XIX).

Every letter amicable sends belongs to one :class:`LetterKind`. For each kind, the mandatory
mentions are declared **once**, as data, in :data:`MANDATORY_MENTIONS`: a tuple of
:class:`Mention` values, each with the article that requires it. The letters app hands
:func:`missing_mentions` the values it is about to print, under the mention codes; a letter with
a missing mention is never produced.

The figures follow the same principle: :func:`letter_rule_violations` lists, in words a person can
act on, every amount a letter may not carry:

- any component outside the closed list of art. XIX.4 (principal, late interest, the lump-sum
  indemnity, the capped cost of further reminders: never agency fees, file fees, registered-mail
  costs and the like);
- an indemnity above the cap of art. XIX.4 on the outstanding balance;
- damages or costs on the first reminder, which is free and comes before any damages
  (art. XIX.2);
- the cost of a reminder on a letter that is not a further reminder, on a reminder that is not
  chargeable (the first one, or one of the three free ones a year for a regular supply), or above
  EUR 7.50 plus the postage (art. XIX.2);
- a payment period or waiting period shorter than 14 calendar days (art. XIX.2, XIX.7);
- a request for payment while collection is suspended by a reasoned dispute
  (docs/legal.md, section 3; harassing a consumer who disputed the debt is a forbidden practice,
  docs/legal.md, section 4), or an amount to pay above what the letter itemises.

Pure module: no Django, no clock, no I/O.

>>> [m.code for m in missing_mentions(LetterKind.DISPUTE_ACKNOWLEDGEMENT, {})][:3]
['reference', 'agency.name', 'agency.address']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from amicable.domain.law import max_indemnity, max_reminder_cost
from amicable.domain.money import ZERO, as_decimal

__all__ = [
    "ASKS_FOR_MONEY",
    "CLAIMABLE_COMPONENTS",
    "DEDUCTION_COMPONENTS",
    "MANDATORY_MENTIONS",
    "MINIMUM_PERIOD_DAYS",
    "NEVER_ASKS_FOR_MONEY",
    "SUPERVISORY_AUTHORITY",
    "AmountItem",
    "CreditorCapacity",
    "LetterKind",
    "Mention",
    "letter_rule_violations",
    "missing_mentions",
]


class LetterKind(StrEnum):
    """The letters amicable produces, one template each."""

    # Free first reminder (rappel / herinnering), sent by the collector when the creditor sent
    # none (art. XIX.2, XIX.6).
    FIRST_REMINDER = "first_reminder"
    # The written formal notice that starts every collection (art. XIX.7 §2).
    FORMAL_NOTICE = "formal_notice"
    # A further reminder after the formal notice: the only letter that may charge its own cost.
    FOLLOW_UP_REMINDER = "follow_up_reminder"
    # Confirmation of an agreed payment plan, instalment by instalment.
    PAYMENT_PLAN_CONFIRMATION = "payment_plan_confirmation"
    # Decision on a proof of payment sent by the debtor (accepted or not, with the reason).
    PROOF_DECISION = "proof_decision"
    # Acknowledgement of a reasoned dispute: collection is suspended.
    DISPUTE_ACKNOWLEDGEMENT = "dispute_acknowledgement"
    # The outcome of the review of a dispute.
    DISPUTE_OUTCOME = "dispute_outcome"
    # A dated statement of account, on request.
    STATEMENT_OF_ACCOUNT = "statement_of_account"
    # Claim declaration to the debt mediator of a collective debt settlement (Judicial Code
    # art. 1675/9), addressed to the mediator, never to the debtor.
    MEDIATOR_CLAIM_DECLARATION = "mediator_claim_declaration"


class CreditorCapacity(StrEnum):
    """In which capacity the creditor claims the debt: a mention of every formal notice
    (art. XIX.7 §2 names the original creditor, and the new creditor after an assignment).

    Stored as this code and printed in the reader's language, never as free text.
    """

    ORIGINAL = "original"
    ASSIGNEE = "assignee"

    @classmethod
    def from_text(cls, text: str) -> CreditorCapacity:
        """The capacity a creditor's record or an input names: the code, or the English words
        stored before capacities were codes ("original creditor", "new creditor", ...).

        >>> CreditorCapacity.from_text("Original creditor")
        <CreditorCapacity.ORIGINAL: 'original'>
        >>> CreditorCapacity.from_text("new creditor after an assignment")
        <CreditorCapacity.ASSIGNEE: 'assignee'>
        >>> CreditorCapacity.from_text("agent")
        Traceback (most recent call last):
        ...
        ValueError: Unknown creditor capacity 'agent'; use one of original, assignee.
        """
        words = " ".join(text.casefold().split())
        for member in cls:
            if words == member.value:
                return member
        if words in _ORIGINAL_WORDS:
            return cls.ORIGINAL
        if words in _ASSIGNEE_WORDS or words.startswith(("new creditor", "assignee")):
            return cls.ASSIGNEE
        allowed = ", ".join(member.value for member in cls)
        raise ValueError(f"Unknown creditor capacity {text!r}; use one of {allowed}.")


_ORIGINAL_WORDS = frozenset({"original creditor", "the original creditor", "creditor"})
_ASSIGNEE_WORDS = frozenset({"new creditor", "assignee", "creditor by assignment"})


@dataclass(frozen=True, slots=True)
class Mention:
    """One thing a letter must state, under a stable ``code`` the letters app fills in.

    ``description`` says what the reader must find in the letter; ``article`` is the rule that
    requires it.
    """

    code: str
    description: str
    article: str


# The articles, spelled once.
_XIX_2 = "CEL art. XIX.2 §1"
_XIX_7 = "CEL art. XIX.7 §2"
_XIX_COLLECTOR = "CEL art. XIX.5 to XIX.15"
_JUDICIAL_CODE = "Judicial Code art. 1675/9 §2"
_XIX_4 = "CEL art. XIX.4"

# What every letter of a registered collector carries: who writes, under which registration, for
# which creditor, on which file and to whom (docs/legal.md, section 3: "its registration number
# appears on its letters").
_EVERY_LETTER: tuple[Mention, ...] = (
    Mention("reference", "file number of the collector", _XIX_COLLECTOR),
    Mention("agency.name", "name of the collector", _XIX_COLLECTOR),
    Mention("agency.address", "address of the collector", _XIX_COLLECTOR),
    Mention("agency.enterprise_number", "enterprise number of the collector", _XIX_COLLECTOR),
    Mention(
        "agency.fps_registration",
        "registration number of the collector with the FPS Economy",
        _XIX_COLLECTOR,
    ),
    Mention("creditor.name", "name of the creditor", _XIX_COLLECTOR),
    Mention("recipient.name", "name of the addressee", _XIX_COLLECTOR),
    Mention("recipient.address", "postal address of the addressee", _XIX_COLLECTOR),
)

# The payment box of a letter that asks for money: who to pay, where, how much, with which
# structured communication (so that the payment is matched to the file).
_PAYMENT: tuple[Mention, ...] = (
    Mention("payment.beneficiary", "beneficiary of the payment", _XIX_COLLECTOR),
    Mention("payment.iban", "IBAN of the account to pay to", _XIX_COLLECTOR),
    Mention("payment.amount", "amount to pay", _XIX_COLLECTOR),
    Mention(
        "payment.structured_communication",
        "structured communication to use with the payment",
        _XIX_COLLECTOR,
    ),
)

_CLAIM: tuple[Mention, ...] = (
    Mention("claims.description", "what the debt is for (product or service)", _XIX_7),
    Mention("claims.due_date", "due date of each claim", _XIX_7),
)

_ITEMISED: tuple[Mention, ...] = (
    Mention("amounts.itemised", "precise, itemised description of the amounts claimed", _XIX_7),
    Mention("amounts.total", "total amount claimed", _XIX_7),
)

MANDATORY_MENTIONS: Mapping[LetterKind, tuple[Mention, ...]] = MappingProxyType(
    {
        LetterKind.FIRST_REMINDER: (
            *_EVERY_LETTER,
            Mention("creditor.enterprise_number", "enterprise number of the creditor", _XIX_2),
            Mention("amounts.total", "outstanding amount", _XIX_2),
            Mention(
                "damages.if_unpaid",
                "the damages (indemnity and interest) that will be added if the debt stays unpaid",
                _XIX_2,
            ),
            Mention("claims.description", "what the debt is for (product or service)", _XIX_2),
            Mention("claims.due_date", "due date of the debt", _XIX_2),
            Mention(
                "period.end",
                "end of the payment period of at least 14 calendar days",
                _XIX_2,
            ),
            *_PAYMENT,
        ),
        LetterKind.FORMAL_NOTICE: (
            *_EVERY_LETTER,
            Mention("creditor.enterprise_number", "enterprise number of the creditor", _XIX_7),
            Mention("creditor.address", "address of the creditor", _XIX_7),
            Mention("creditor.phone", "telephone number of the creditor", _XIX_7),
            Mention("creditor.email", "e-mail address of the creditor", _XIX_7),
            Mention("creditor.capacity", "capacity of the creditor", _XIX_7),
            Mention("agency.phone", "telephone number of the collector", _XIX_7),
            Mention("agency.email", "e-mail address of the collector", _XIX_7),
            Mention(
                "supervisory_authority",
                "contact details of the supervisory authority (FPS Economy, "
                "Directorate-General Economic Inspection)",
                _XIX_7,
            ),
            *_CLAIM,
            *_ITEMISED,
            Mention(
                "period.end",
                "end of the waiting period of 14 calendar days during which no further "
                "collection step is taken",
                _XIX_COLLECTOR,
            ),
            *_PAYMENT,
        ),
        LetterKind.FOLLOW_UP_REMINDER: (
            *_EVERY_LETTER,
            Mention("creditor.enterprise_number", "enterprise number of the creditor", _XIX_2),
            *_CLAIM,
            *_ITEMISED,
            Mention("period.end", "date by which to pay", _XIX_COLLECTOR),
            *_PAYMENT,
        ),
        LetterKind.PAYMENT_PLAN_CONFIRMATION: (
            *_EVERY_LETTER,
            *_CLAIM,
            *_ITEMISED,
            Mention(
                "plan.instalments",
                "each instalment: number, due date, amount and structured communication",
                _XIX_COLLECTOR,
            ),
            *_PAYMENT,
        ),
        LetterKind.PROOF_DECISION: (
            *_EVERY_LETTER,
            Mention("proof.accepted", "whether the proof of payment is accepted", _XIX_COLLECTOR),
            Mention("proof.reason", "the reason for the decision", _XIX_COLLECTOR),
            Mention("amounts.total", "the amount that remains due", _XIX_COLLECTOR),
        ),
        LetterKind.DISPUTE_ACKNOWLEDGEMENT: (
            *_EVERY_LETTER,
            Mention("dispute.received_on", "date the dispute was received", _XIX_COLLECTOR),
            Mention("dispute.reason", "the reasons given by the consumer", _XIX_COLLECTOR),
            *_CLAIM,
        ),
        LetterKind.DISPUTE_OUTCOME: (
            *_EVERY_LETTER,
            Mention("dispute.received_on", "date the dispute was received", _XIX_COLLECTOR),
            Mention("dispute.reason", "the reasons given by the consumer", _XIX_COLLECTOR),
            Mention("dispute.upheld", "whether the dispute is upheld", _XIX_COLLECTOR),
            Mention("dispute.outcome", "the findings of the review", _XIX_COLLECTOR),
            *_CLAIM,
        ),
        LetterKind.STATEMENT_OF_ACCOUNT: (
            *_EVERY_LETTER,
            *_CLAIM,
            *_ITEMISED,
        ),
        LetterKind.MEDIATOR_CLAIM_DECLARATION: (
            *_EVERY_LETTER,
            Mention("creditor.enterprise_number", "enterprise number of the creditor", _XIX_7),
            Mention("creditor.address", "address of the creditor", _XIX_7),
            Mention("debtor.name", "name of the debtor in collective settlement", _JUDICIAL_CODE),
            Mention("debtor.address", "address of the debtor", _JUDICIAL_CODE),
            Mention(
                "admissibility_date",
                "date of the admissibility decision, at which interest stops",
                _JUDICIAL_CODE,
            ),
            *_CLAIM,
            *_ITEMISED,
        ),
    }
)

# Letters that ask the debtor to pay, and therefore carry a payment box with an EPC QR code.
ASKS_FOR_MONEY: frozenset[LetterKind] = frozenset(
    {
        LetterKind.FIRST_REMINDER,
        LetterKind.FORMAL_NOTICE,
        LetterKind.FOLLOW_UP_REMINDER,
        LetterKind.PAYMENT_PLAN_CONFIRMATION,
    }
)

# Letters that must never ask for a payment: a reasoned dispute suspends collection until the
# file is checked, and collection then resumes only with a new notice (docs/legal.md, section 3).
NEVER_ASKS_FOR_MONEY: frozenset[LetterKind] = frozenset(
    {LetterKind.DISPUTE_ACKNOWLEDGEMENT, LetterKind.DISPUTE_OUTCOME}
)

# The closed list of art. XIX.4: nothing else may be claimed from a consumer.
CLAIMABLE_COMPONENTS: frozenset[str] = frozenset(
    {"principal", "interest", "indemnity", "reminder_cost"}
)
# Lines that lower what is due (a payment received, a reduction granted): shown, never claimed.
DEDUCTION_COMPONENTS: frozenset[str] = frozenset({"payment", "reduction"})

# Art. XIX.2 (payment period after the first reminder) and the waiting period after the formal
# notice: at least 14 calendar days.
MINIMUM_PERIOD_DAYS = 14


@dataclass(frozen=True, slots=True)
class SupervisoryAuthority:
    """The authority whose contact details every formal notice gives (art. XIX.7 §2)."""

    name: Mapping[str, str]
    address: Mapping[str, str]
    website: str


SUPERVISORY_AUTHORITY = SupervisoryAuthority(
    name=MappingProxyType(
        {
            "fr": "SPF Économie, P.M.E., Classes moyennes et Énergie, "
            "Direction générale de l'Inspection économique",
            "nl": "FOD Economie, K.M.O., Middenstand en Energie, "
            "Algemene Directie Economische Inspectie",
            "de": "FÖD Wirtschaft, K.M.B., Mittelstand und Energie, "
            "Generaldirektion Wirtschaftsinspektion",
            "en": "FPS Economy, SMEs, Self-employed and Energy, "
            "Directorate-General Economic Inspection",
        }
    ),
    address=MappingProxyType(
        {
            "fr": "Boulevard du Roi Albert II 16, 1000 Bruxelles",
            "nl": "Koning Albert II-laan 16, 1000 Brussel",
            "de": "Boulevard du Roi Albert II 16, 1000 Brüssel",
            "en": "Boulevard du Roi Albert II 16, 1000 Brussels",
        }
    ),
    website="economie.fgov.be",
)


@dataclass(frozen=True, slots=True)
class AmountItem:
    """One line of the amounts a letter shows.

    ``component`` is one of :data:`CLAIMABLE_COMPONENTS` for an amount claimed, or one of
    :data:`DEDUCTION_COMPONENTS` (with a negative amount) for a payment received or a reduction.
    ``label`` is the line as printed, in the letter's language; ``legal_basis`` says why it is due
    (the contract clause and the cap that limits it). One ``reminder_cost`` line per reminder,
    since the cap applies to each reminder; ``charged_by_this_letter`` marks the cost of the
    reminder being sent.
    """

    component: str
    label: str
    amount: Decimal
    legal_basis: str = ""
    charged_by_this_letter: bool = False

    def __post_init__(self) -> None:
        as_decimal(self.amount, name=f"amount of {self.label!r}")


def _is_missing(value: object) -> bool:
    """None, a blank string or an empty collection; ``False`` and ``0`` are values."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Sequence | Set | Mapping):
        return len(value) == 0
    return False


def missing_mentions(kind: LetterKind, provided: Mapping[str, object]) -> list[Mention]:
    """The mandatory mentions of ``kind`` that ``provided`` leaves missing, in declaration order.

    ``provided`` maps a mention code to the value the letter will print. A value that is ``None``,
    a blank string or an empty collection is missing; ``False`` and ``0`` are values.

    >>> [m.code for m in missing_mentions(LetterKind.PROOF_DECISION, {
    ...     "reference": "D-1", "agency.name": "A", "agency.address": "Rue 1, 1000 Bruxelles",
    ...     "agency.enterprise_number": "0123.456.749", "agency.fps_registration": "R-1",
    ...     "creditor.name": "C", "recipient.name": "D", "recipient.address": ["Rue 2"],
    ...     "proof.accepted": False, "proof.reason": " ", "amounts.total": Decimal("0.00")})]
    ['proof.reason']
    """
    return [m for m in MANDATORY_MENTIONS[kind] if _is_missing(provided.get(m.code))]


def letter_rule_violations(
    kind: LetterKind,
    *,
    items: Sequence[AmountItem],
    balance_for_cap: Decimal,
    reminder_chargeable: bool,
    postage: Decimal,
    payment_amount: Decimal | None = None,
    sent_on: date | None = None,
    period_end: date | None = None,
) -> list[str]:
    """Every figure rule the letter would break, one sentence each; empty when it may be sent.

    - ``items``: the amount lines the letter shows;
    - ``balance_for_cap``: the outstanding balance on which the indemnity cap is computed
      (art. XIX.4);
    - ``reminder_chargeable``: whether the reminder being sent may cost something (art. XIX.2:
      not the first, not one of the three free reminders a year of a regular supply);
    - ``postage``: the postage in force for this letter (the reminder cap is EUR 7.50 plus it);
    - ``payment_amount``: the amount the payment box asks for, if any;
    - ``sent_on`` and ``period_end``: the letter date and the end of its payment period (first
      reminder) or waiting period (formal notice), at least 14 calendar days later.

    >>> letter_rule_violations(LetterKind.FORMAL_NOTICE, items=[
    ...     AmountItem("principal", "Invoice 1", Decimal("200.00")),
    ...     AmountItem("agency_fee", "File fee", Decimal("15.00"))],
    ...     balance_for_cap=Decimal("200.00"), reminder_chargeable=False, postage=Decimal("1.50"))
    ... # doctest: +NORMALIZE_WHITESPACE
    ["'File fee' (agency_fee, 15.00) may not be claimed: CEL art. XIX.4 allows only the principal,
      late interest, the lump-sum indemnity and capped reminder costs, never agency or file
      fees."]
    """
    violations: list[str] = []
    for item in items:
        violations.extend(_item_violations(kind, item, reminder_chargeable=reminder_chargeable))
        if item.component == "reminder_cost":
            cap = max_reminder_cost(postage)
            if item.amount > cap:
                violations.append(
                    f"'{item.label}' (reminder_cost, {item.amount}) is above the cap of {cap} "
                    f"(EUR 7.50 plus {postage} postage) for one reminder: CEL art. XIX.2."
                )

    indemnity = sum((i.amount for i in items if i.component == "indemnity"), ZERO)
    if indemnity > 0:
        cap = max_indemnity(balance_for_cap)
        if indemnity > cap:
            violations.append(
                f"The indemnity ({indemnity}) is above the cap of {cap} on an outstanding balance "
                f"of {balance_for_cap}: {_XIX_4}."
            )

    violations.extend(_payment_violations(kind, items, payment_amount))
    violations.extend(_period_violations(kind, sent_on=sent_on, period_end=period_end))
    return violations


def _item_violations(kind: LetterKind, item: AmountItem, *, reminder_chargeable: bool) -> list[str]:
    """The rules on one line: closed list, sign, free first reminder, own reminder cost."""
    line = f"'{item.label}' ({item.component}, {item.amount})"
    if item.component in DEDUCTION_COMPONENTS:
        if item.amount > 0:
            return [f"{line} lowers what is due and must be negative."]
        return []
    if item.component not in CLAIMABLE_COMPONENTS:
        return [
            f"{line} may not be claimed: {_XIX_4} allows only the principal, late interest, the "
            "lump-sum indemnity and capped reminder costs, never agency or file fees."
        ]
    violations: list[str] = []
    if item.amount < 0:
        violations.append(f"{line} is negative; a claimed amount is 0 or more.")
    if kind is LetterKind.FIRST_REMINDER and item.component != "principal":
        violations.append(
            f"{line} cannot appear on the first reminder: it is free and no damages or interest "
            f"may be claimed before its payment period ends ({_XIX_2})."
        )
    if item.charged_by_this_letter and item.component == "reminder_cost":
        if kind is not LetterKind.FOLLOW_UP_REMINDER:
            violations.append(
                f"{line}: a {kind.value} letter cannot charge its own cost; only a further "
                f"reminder may ({_XIX_2})."
            )
        elif not reminder_chargeable:
            violations.append(
                f"{line}: this reminder is not chargeable (the first reminder, or one of the "
                f"three free reminders a year of a regular supply, is free: {_XIX_2})."
            )
    return violations


def _payment_violations(
    kind: LetterKind, items: Sequence[AmountItem], payment_amount: Decimal | None
) -> list[str]:
    """A payment request must be positive, not above what is itemised, and allowed now."""
    if payment_amount is None:
        return []
    amount = as_decimal(payment_amount, name="payment amount")
    if kind in NEVER_ASKS_FOR_MONEY:
        return [
            f"A {kind.value} letter may not ask for payment: a reasoned dispute suspends "
            "collection until the file is checked (docs/legal.md, sections 3 and 4)."
        ]
    violations: list[str] = []
    if amount <= 0:
        violations.append(f"The amount to pay ({amount}) must be more than 0.")
    total = sum((i.amount for i in items), ZERO)
    if items and amount > total:
        violations.append(
            f"The amount to pay ({amount}) is more than the total of the amounts shown ({total})."
        )
    return violations


def _period_violations(
    kind: LetterKind, *, sent_on: date | None, period_end: date | None
) -> list[str]:
    """The payment period of the first reminder and the waiting period of the formal notice.

    Both last at least 14 calendar days (art. XIX.2; docs/legal.md, section 3). The exact last day
    is computed by the law module from the sending channel; this check is the floor that holds for
    every channel: the period never ends before the letter date plus 14 days.
    """
    if kind not in {LetterKind.FIRST_REMINDER, LetterKind.FORMAL_NOTICE}:
        return []
    if sent_on is None or period_end is None:
        return []  # a missing date is reported as a missing mention
    earliest = sent_on + timedelta(days=MINIMUM_PERIOD_DAYS)
    if period_end < earliest:
        what = "payment period" if kind is LetterKind.FIRST_REMINDER else "waiting period"
        return [
            f"The {what} ends on {period_end.isoformat()}, less than {MINIMUM_PERIOD_DAYS} "
            f"calendar days after the letter of {sent_on.isoformat()} (not before "
            f"{earliest.isoformat()}): {_XIX_2 if kind is LetterKind.FIRST_REMINDER else _XIX_7}."
        ]
    return []
