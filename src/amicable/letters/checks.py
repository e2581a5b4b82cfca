"""Everything that stops a letter before it is rendered.

:func:`letter_errors` gathers, in one list, every reason a letter may not be produced:

- the mandatory mentions of its kind that are missing (:mod:`amicable.domain.mentions`, which
  declares them with their articles);
- the figure rules it breaks (:func:`amicable.domain.mentions.letter_rule_violations`: the closed
  list and the caps of CEL art. XIX.4, the free first reminder and the capped reminder cost of
  art. XIX.2, the 14-day periods);
- amount lines that do not add up to what the ledger holds as due;
- a payment box that cannot be paid as printed (an invalid IBAN or structured communication, an
  EPC QR payload that does not fit), or a payment plan whose instalments do not add up;
- a sender line that would reveal, through the envelope window, that the letter is about a debt
  (Book VI, unfair practices; former law of 20 December 2002 art. 3: no outside mark on an
  envelope may show that it concerns a debt).

Nothing here renders anything: a letter that breaks a rule never reaches Typst.
"""

from __future__ import annotations

import re
from decimal import Decimal

from amicable.domain.epc import EpcError, epc_payload
from amicable.domain.mentions import (
    LetterKind,
    letter_rule_violations,
    missing_mentions,
)
from amicable.domain.money import ZERO
from amicable.letters.content import LANGUAGES, LetterData

__all__ = [
    "WINDOW_FORBIDDEN",
    "letter_errors",
    "payment_payload",
    "provided_mentions",
    "shows_payment_box",
]

# Word starts that tell what a letter is about, in French, Dutch, German and English. None of
# them may appear in what the envelope window can show (the sender line and the addressee).
WINDOW_FORBIDDEN = re.compile(
    r"\b(recouvr|incasso|inkasso|invorder|beitreib|créanc|creanc|dette|schuld|debt|collect"
    r"|forderung|mahn|rappel|herinner|aanman|remind|huissier|deurwaard|gerichtsvollz|bailiff"
    r"|contentieux|mise en demeure|ingebrekestell|demeure|verzug)",
    re.IGNORECASE,
)

_PERIOD_END = {
    LetterKind.FIRST_REMINDER: "grace_period_end",
    LetterKind.FORMAL_NOTICE: "waiting_period_end",
    LetterKind.FOLLOW_UP_REMINDER: "pay_by",
}


def provided_mentions(data: LetterData) -> dict[str, object]:
    """The values ``data`` would print, under the mention codes of the domain core."""
    agency, creditor, payment = data.agency, data.creditor, data.payment
    recipient_address = data.recipient_address
    period_field = _PERIOD_END.get(data.kind)
    return {
        "reference": data.reference,
        "agency.name": agency.name,
        "agency.address": agency.address.lines,
        "agency.enterprise_number": agency.enterprise_number,
        "agency.fps_registration": agency.fps_registration,
        "agency.phone": agency.phone,
        "agency.email": agency.email,
        "creditor.name": creditor.name,
        "creditor.enterprise_number": creditor.enterprise_number,
        "creditor.address": creditor.address.lines,
        "creditor.phone": creditor.phone,
        "creditor.email": creditor.email,
        "creditor.capacity": creditor.capacity,
        "recipient.name": data.recipient_name,
        "recipient.address": recipient_address.lines if recipient_address else None,
        "debtor.name": data.debtor.name,
        "debtor.address": data.debtor.address.lines,
        "supervisory_authority": "FPS Economy, Directorate-General Economic Inspection",
        # Every claim needs its description: one blank one makes the mention missing.
        "claims.description": None
        if any(not c.description.strip() for c in data.claims)
        else [c.description for c in data.claims],
        "claims.due_date": [c.due_date for c in data.claims],
        "amounts.itemised": data.items,
        "amounts.total": data.total if data.items else None,
        "damages.if_unpaid": data.future_damages,
        "period.end": getattr(data, period_field) if period_field else None,
        "payment.beneficiary": payment.beneficiary if payment else None,
        "payment.iban": payment.iban if payment else None,
        "payment.amount": payment.amount if payment else None,
        "payment.structured_communication": payment.structured_communication if payment else None,
        "plan.instalments": data.instalments,
        "proof.accepted": data.proof.accepted if data.proof else None,
        "proof.reason": data.proof.reason if data.proof else None,
        "dispute.received_on": data.dispute.received_on if data.dispute else None,
        "dispute.reason": data.dispute.reason if data.dispute else None,
        "dispute.upheld": data.dispute.upheld if data.dispute else None,
        "dispute.outcome": data.dispute.outcome if data.dispute else None,
        "admissibility_date": data.admissibility_date,
    }


def shows_payment_box(data: LetterData) -> bool:
    """Whether the letter carries a payment box with an EPC QR code.

    Every letter that asks for money does (the payment details are a mandatory mention of those
    kinds); a statement of account or a decision on a proof of payment does when payment details
    are given. A claim declaration gives the mediator the bank details as text only: it asks
    nothing of anyone.
    """
    return data.payment is not None and data.kind is not LetterKind.MEDIATOR_CLAIM_DECLARATION


def payment_payload(data: LetterData) -> str:
    """The EPC QR payload of the payment box (EPC069-12), checked by the domain core."""
    assert data.payment is not None
    return epc_payload(
        beneficiary=data.payment.beneficiary,
        iban=data.payment.iban,
        amount=data.payment.amount,
        reference=data.payment.structured_communication,
        bic=data.payment.bic or None,
    )


def letter_errors(data: LetterData) -> list[str]:
    """Every reason ``data`` may not become a letter, one sentence each; empty when it may."""
    errors: list[str] = []
    if data.language not in LANGUAGES:
        errors.append(f"Unknown language {data.language!r}; use one of {', '.join(LANGUAGES)}.")
    errors.extend(
        f"Missing mention: {m.description} ({m.article}) [{m.code}]."
        for m in missing_mentions(data.kind, provided_mentions(data))
    )
    try:
        errors.extend(
            letter_rule_violations(
                data.kind,
                items=data.items,
                balance_for_cap=_balance_for_cap(data),
                reminder_chargeable=data.reminder_chargeable,
                postage=data.postage,
                payment_amount=data.payment.amount
                if data.payment is not None and shows_payment_box(data)
                else None,
                sent_on=data.date,
                period_end=getattr(data, _PERIOD_END[data.kind])
                if data.kind in _PERIOD_END
                else None,
            )
        )
    except (TypeError, ValueError) as error:
        errors.append(f"The amounts cannot be checked: {error}")
    if data.ledger_total is not None and data.items and data.total != data.ledger_total:
        errors.append(
            f"The amount lines add up to {data.total}, not to the {data.ledger_total} the "
            "ledger holds as due: a line is missing or wrongly explained."
        )
    errors.extend(_payment_errors(data))
    errors.extend(_plan_errors(data))
    errors.extend(_window_errors(data))
    return errors


def _balance_for_cap(data: LetterData) -> Decimal:
    if data.balance_for_cap is not None:
        return data.balance_for_cap
    return max(data.principal, ZERO)


def _payment_errors(data: LetterData) -> list[str]:
    if data.payment is None:
        return []
    try:
        payment_payload(data)
    except EpcError as error:
        return [f"The payment details cannot be printed: {error}"]
    except (TypeError, ValueError) as error:
        return [f"The payment details cannot be printed: {error}"]
    return []


def _plan_errors(data: LetterData) -> list[str]:
    if data.kind is not LetterKind.PAYMENT_PLAN_CONFIRMATION or not data.instalments:
        return []
    errors: list[str] = []
    planned = sum((i.amount for i in data.instalments), ZERO)
    if data.items and planned != data.total:
        errors.append(f"The instalments add up to {planned}, not to the total due {data.total}.")
    numbers = [i.number for i in data.instalments]
    if numbers != list(range(1, len(numbers) + 1)):
        errors.append(f"The instalments must be numbered 1 to {len(numbers)}, not {numbers}.")
    first = data.instalments[0]
    if data.payment is not None and (
        data.payment.amount != first.amount
        or data.payment.structured_communication != first.structured_communication
    ):
        errors.append(
            "The payment box of a payment plan is the first instalment: amount "
            f"{first.amount} with {first.structured_communication}."
        )
    return errors


def _window_errors(data: LetterData) -> list[str]:
    """The sender line shows through the envelope window: agency name and address only."""
    shown = [data.agency.name, *data.agency.address.printed_lines()]
    return [
        f"{text!r} would show through the envelope window and reveals that the letter is about "
        "a debt (no outside mark may: Book VI CEL, former law of 20 December 2002 art. 3)."
        for text in shown
        if WINDOW_FORBIDDEN.search(text)
    ]
