"""The amount lines of a letter, each with the words that explain it, in the debtor's language.

A letter itemises what it claims (CEL art. XIX.7 §2) so that a reader with a calculator finds
every figure again:

- the principal, invoice by invoice;
- late interest, one line per rate and period as the ledger counted it
  (:attr:`amicable.files.ledger.ClaimBalance.interest_lines`), each with its rate and its basis
  as the law names it: the contract's rate, limited per half-year, or the civil legal interest
  rate where the clause sets no rate or is deemed unwritten (CEL art. XIX.4). Nothing here
  counts interest: the lines are the ledger's, and they add up to the interest it holds;
- the lump-sum indemnity, claim by claim, with the clause (a percentage with its minimum, or
  a fixed amount), the legal cap on the balance, and the file's cap when it limited the amount
  (:func:`amicable.domain.charges.decide_file_indemnities`);
- a damages clause not declared reciprocal (CEL art. VI.83, 17°): a line of 0.00 that says why
  no indemnity is claimed (:func:`reciprocity_reason`, the one wording the portal uses too);
- reminder costs: at most EUR 7.50 plus the postage, the postage named only when there is some
  (CEL art. XIX.2);
- what was paid, or waived, of these charges, as lines that lower the total: the column adds up.

Every text goes through gettext in the debtor's language (``translation.override``), like
every other text a debtor reads; the article cites the Code by its name in that language
(CDE, WER, WBR, CEL).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from amicable.domain import law
from amicable.domain.charges import IndemnityDecision, InterestLine, ReminderCost
from amicable.domain.imputation import Component
from amicable.domain.mentions import AmountItem
from amicable.domain.money import ZERO, format_eur
from amicable.files.ledger import FileBalance
from amicable.letters.formatting import format_date, format_percent

__all__ = [
    "ClaimExplanation",
    "indemnity_item",
    "interest_items",
    "outstanding_items",
    "payment_item",
    "principal_item",
    "reciprocity_reason",
    "reminder_costs_item",
    "statement_items",
    "this_reminder_item",
]


@dataclass(frozen=True, slots=True)
class ClaimExplanation:
    """What explains the charges of one claim on a letter.

    ``interest_lines`` are the ledger's lines for the claim; ``contract_rate`` the rate the
    contract writes (None when its clause sets none), to tell a rate cut to the half-year's
    maximum or a clause deemed unwritten; ``indemnity`` the decision that set the indemnity.
    """

    reference: str
    interest_lines: tuple[InterestLine, ...] = ()
    contract_rate: Decimal | None = None
    indemnity: IndemnityDecision | None = None


def principal_item(reference: str, amount: Decimal, *, language: str) -> AmountItem:
    """The principal of one invoice."""
    with translation.override(language):
        return AmountItem(
            "principal", _("Principal, invoice %(reference)s") % {"reference": reference}, amount
        )


def _interest_label(line: InterestLine, *, invoice: str | None, language: str) -> str:
    rate = format_percent(line.rate, language)
    if line.first_day == line.last_day:
        day = format_date(line.first_day, language)
        if invoice is None:
            return _("Late-payment interest on %(day)s, at %(rate)s a year") % {
                "day": day,
                "rate": rate,
            }
        return _(
            "Late-payment interest on invoice %(reference)s on %(day)s, at %(rate)s a year"
        ) % {
            "reference": invoice,
            "day": day,
            "rate": rate,
        }
    first, last = format_date(line.first_day, language), format_date(line.last_day, language)
    if invoice is None:
        return _("Late-payment interest from %(first)s to %(last)s, at %(rate)s a year") % {
            "first": first,
            "last": last,
            "rate": rate,
        }
    return _(
        "Late-payment interest on invoice %(reference)s from %(first)s to %(last)s, "
        "at %(rate)s a year"
    ) % {"reference": invoice, "first": first, "last": last, "rate": rate}


def _interest_basis(line: InterestLine, *, contract_rate: Decimal | None, language: str) -> str:
    """The basis of one line, as the law names it (CEL art. XIX.4)."""
    if line.legal_rate:
        if contract_rate is None:
            # Translators: the civil legal interest rate, named as the law names it
            # (taux d'intérêt légal, wettelijke rentevoet, gesetzlicher Zinssatz).
            return _(
                "The legal interest rate: the contract provides late-payment interest without "
                "setting its rate (art. XIX.4 CEL)."
            )
        return _(
            "The legal interest rate: the contract's rate of %(rate)s is above the legal "
            "maximum, so the clause is deemed unwritten (art. XIX.4 CEL)."
        ) % {"rate": format_percent(contract_rate, language)}
    if contract_rate is not None and line.rate < contract_rate:
        return _(
            "The contract's rate of %(rate)s, reduced to the legal maximum for this half-year "
            "(art. XIX.4 CEL)."
        ) % {"rate": format_percent(contract_rate, language)}
    return _(
        "The contract's rate, within the legal maximum set for each half-year (art. XIX.4 CEL)."
    )


def interest_items(
    lines: Sequence[InterestLine],
    *,
    contract_rate: Decimal | None,
    invoice: str | None,
    language: str,
) -> list[AmountItem]:
    """One line per rate and period, with its basis; ``invoice`` names the invoice when the
    letter covers several."""
    with translation.override(language):
        return [
            AmountItem(
                "interest",
                _interest_label(line, invoice=invoice, language=language),
                line.amount,
                _interest_basis(line, contract_rate=contract_rate, language=language),
            )
            for line in lines
        ]


def _clause_sentence(decision: IndemnityDecision, *, language: str) -> str:
    """What the clause gives on the balance, and the legal cap on that balance."""
    clause = decision.clause
    assert clause is not None
    balance = decision.balance
    figures = {
        "balance": format_eur(balance, language),
        "cap": format_eur(decision.cap, language),
        "amount": format_eur(law.contractual_indemnity(clause, balance), language),
    }
    if clause.fixed is not None:
        return (
            _(
                "Contract clause of a fixed amount of %(amount)s; the legal maximum on a "
                "balance of %(balance)s is %(cap)s (art. XIX.4 CEL)."
            )
            % figures
        )
    percent = format_percent(clause.percent or ZERO, language)
    if clause.minimum is not None:
        return _(
            "Contract clause of %(percent)s of the balance of %(balance)s, with a minimum of "
            "%(minimum)s, that is %(amount)s; the legal maximum on this balance is %(cap)s "
            "(art. XIX.4 CEL)."
        ) % {**figures, "percent": percent, "minimum": format_eur(clause.minimum, language)}
    return _(
        "Contract clause of %(percent)s of the balance of %(balance)s, that is %(amount)s; the "
        "legal maximum on this balance is %(cap)s (art. XIX.4 CEL)."
    ) % {**figures, "percent": percent}


#: The decision rules of a damages clause that counts for nothing for want of reciprocity.
RECIPROCITY_RULES = frozenset(
    {law.RefusalReason.CLAUSE_NOT_RECIPROCAL.value, law.RefusalReason.RECIPROCITY_NOT_DECLARED}
)


def reciprocity_reason(reciprocity: str, *, booked: bool, language: str) -> str | None:
    """Why a damages clause gives no lump-sum indemnity, in the debtor's language, or None when
    it is declared reciprocal (CEL art. VI.83, 17°).

    ``booked``: an indemnity booked before the declaration existed, which stays only if an
    agent confirms reciprocity from the general terms; the debtor is told it is being checked.
    """
    declared = law.Reciprocity(reciprocity)
    if declared is law.Reciprocity.RECIPROCAL:
        return None
    with translation.override(language):
        if declared is law.Reciprocity.NOT_RECIPROCAL:
            return _(
                "No lump-sum indemnity is claimed: the contract gives you no indemnity of the "
                "same order when the creditor itself fails in its obligations, so its damages "
                "clause has no effect (art. VI.83, 17° CEL)."
            )
        if booked:
            return _(
                "We are checking in the general terms that the contract also gives you an "
                "indemnity of the same order when the creditor fails in its obligations (art. "
                "VI.83, 17° CEL); if it does not, this indemnity will be cancelled."
            )
        return _(
            "No lump-sum indemnity is claimed: the creditor has not declared that the contract "
            "gives you an indemnity of the same order when the creditor itself fails in its "
            "obligations (art. VI.83, 17° CEL)."
        )


def _declared(decision: IndemnityDecision) -> str:
    if decision.rule == law.RefusalReason.CLAUSE_NOT_RECIPROCAL.value:
        return law.Reciprocity.NOT_RECIPROCAL.value
    return law.Reciprocity.NOT_DECLARED.value


def _indemnity_basis(decision: IndemnityDecision, *, charged: Decimal, language: str) -> str:
    """How the indemnity was computed: the clause, then each limit that applied."""
    if decision.clause is not None and decision.rule in RECIPROCITY_RULES:
        reason = reciprocity_reason(_declared(decision), booked=charged != ZERO, language=language)
        assert reason is not None
        return reason
    if decision.clause is None:
        return _("Lump-sum indemnity provided by the contract (art. XIX.4 CEL).")
    sentences = [_clause_sentence(decision, language=language)]
    contractual = law.contractual_indemnity(decision.clause, decision.balance)
    within = min(contractual, decision.cap)
    if contractual > decision.cap and decision.amount > ZERO:
        # Only a contract concluded before 1 September 2023 keeps a clause above the cap.
        sentences.append(
            _(
                "As the contract was concluded before 1 September 2023, this amount is reduced "
                "to the legal maximum."
            )
        )
    if decision.rule == "trimmed_to_file_cap":
        sentences.append(
            _(
                "The indemnities of all the invoices of the file together may not exceed "
                "%(cap)s, the legal maximum on its total balance of %(balance)s; %(amount)s "
                "remains for this invoice."
            )
            % {
                "cap": format_eur(decision.file_cap, language),
                "balance": format_eur(decision.file_balance, language),
                "amount": format_eur(decision.amount, language),
            }
        )
    elif decision.amount < within:
        sentences.append(
            _("The creditor claims only %(amount)s.")
            % {"amount": format_eur(decision.amount, language)}
        )
    if charged != decision.amount:
        sentences.append(
            _("Amount charged: %(amount)s.") % {"amount": format_eur(charged, language)}
        )
    return " ".join(sentences)


def indemnity_item(
    decision: IndemnityDecision | None, *, charged: Decimal, invoice: str | None, language: str
) -> AmountItem:
    """The indemnity of one claim, ``charged`` as the ledger holds it, explained by the
    decision that set it."""
    with translation.override(language):
        label = (
            _("Lump-sum indemnity, invoice %(reference)s") % {"reference": invoice}
            if invoice is not None
            else _("Lump-sum indemnity")
        )
        basis = (
            _indemnity_basis(decision, charged=charged, language=language)
            if decision is not None
            else _("Lump-sum indemnity provided by the contract (art. XIX.4 CEL).")
        )
        return AmountItem("indemnity", label, charged, basis)


def reminder_costs_item(amount: Decimal, *, language: str) -> AmountItem:
    """The costs of reminders already sent, as the ledger holds them."""
    with translation.override(language):
        return AmountItem(
            "reminder_cost",
            _("Costs of reminders already sent"),
            amount,
            _(
                "At most %(flat)s plus postage per reminder; the first reminder is free "
                "(art. XIX.2 CEL)."
            )
            % {"flat": format_eur(law.REMINDER_COST_FLAT, language)},
        )


def this_reminder_item(cost: ReminderCost, *, language: str) -> AmountItem:
    """The cost of the reminder being sent: the flat rate, and the postage only when there is
    some (a reminder by e-mail has none)."""
    flat = format_eur(cost.amount - cost.postage, language)
    with translation.override(language):
        if cost.postage > ZERO:
            basis = _(
                "Flat rate of %(flat)s, the legal maximum, plus %(postage)s postage "
                "(art. XIX.2 CEL)."
            ) % {
                "flat": flat,
                "postage": format_eur(cost.postage, language),
            }
        else:
            basis = _("Flat rate of %(flat)s, the legal maximum per reminder (art. XIX.2 CEL).") % {
                "flat": flat
            }
        return AmountItem(
            "reminder_cost",
            _("Cost of this reminder"),
            cost.amount,
            basis,
            charged_by_this_letter=True,
        )


def _paid_item(component: Component, amount: Decimal, *, language: str) -> AmountItem:
    """What payments already paid of a charge shown in full above: a line that lowers the
    total."""
    with translation.override(language):
        labels = {
            Component.INTEREST: _("Already paid towards the interest"),
            Component.INDEMNITY: _("Already paid towards the lump-sum indemnity"),
            Component.REMINDER_COST: _("Already paid towards the reminder costs"),
        }
        return AmountItem("payment", labels[component], -amount)


def _waived_item(amount: Decimal, *, language: str) -> AmountItem:
    with translation.override(language):
        return AmountItem("reduction", _("Interest waived"), -amount)


def payment_item(paid_on: date, amount: Decimal, *, language: str) -> AmountItem:
    """A payment received, for what it paid off."""
    with translation.override(language):
        return AmountItem(
            "payment",
            _("Payment received on %(date)s") % {"date": format_date(paid_on, language)},
            -amount,
        )


def _charges(
    balance: FileBalance,
    explained: Mapping[int, ClaimExplanation],
    *,
    principal: Mapping[int, Decimal],
    language: str,
) -> list[AmountItem]:
    """The principal given per claim, then interest, indemnity and reminder costs in full."""
    several = len(balance.claims) > 1
    items = [
        principal_item(explained[c.claim_id].reference, principal[c.claim_id], language=language)
        for c in balance.claims
        if principal[c.claim_id] != ZERO
    ]
    waived = ZERO
    for claim in balance.claims:
        explanation = explained[claim.claim_id]
        items += interest_items(
            explanation.interest_lines,
            contract_rate=explanation.contract_rate,
            invoice=explanation.reference if several else None,
            language=language,
        )
        waived += claim.interest_waived
    if waived != ZERO:
        items.append(_waived_item(waived, language=language))
    for claim in balance.claims:
        charged = claim.charged[Component.INDEMNITY]
        explanation = explained[claim.claim_id]
        decision = explanation.indemnity
        withheld = (
            decision is not None
            and decision.clause is not None
            and decision.rule in RECIPROCITY_RULES
        )
        if charged != ZERO or withheld:
            # A clause not declared reciprocal shows as 0.00 with the reason: the debtor who
            # reads the clause in the general terms learns why nothing is claimed under it.
            items.append(
                indemnity_item(
                    explanation.indemnity,
                    charged=charged,
                    invoice=explanation.reference if several else None,
                    language=language,
                )
            )
    costs = sum((c.charged[Component.REMINDER_COST] for c in balance.claims), ZERO)
    if costs != ZERO:
        items.append(reminder_costs_item(costs, language=language))
    return items


def outstanding_items(
    balance: FileBalance, explained: Mapping[int, ClaimExplanation], *, language: str
) -> list[AmountItem]:
    """What is still due (CEL art. XIX.7 §2): the principal still due per invoice; interest,
    indemnity and reminder costs in full with their explanation, less what was paid of them."""
    items = _charges(
        balance,
        explained,
        principal={c.claim_id: c.outstanding(Component.PRINCIPAL) for c in balance.claims},
        language=language,
    )
    for component in (Component.INTEREST, Component.INDEMNITY, Component.REMINDER_COST):
        paid = sum((c.paid[component] for c in balance.claims), ZERO)
        if paid != ZERO:
            items.append(_paid_item(component, paid, language=language))
    return items


def statement_items(
    balance: FileBalance,
    explained: Mapping[int, ClaimExplanation],
    payments: Sequence[tuple[date, Decimal]],
    *,
    language: str,
) -> list[AmountItem]:
    """Everything charged, then each payment received for what it paid off: they add up to
    what is due on the statement's day."""
    items = _charges(
        balance,
        explained,
        principal={c.claim_id: c.charged[Component.PRINCIPAL] for c in balance.claims},
        language=language,
    )
    items += [payment_item(paid_on, amount, language=language) for paid_on, amount in payments]
    return items
