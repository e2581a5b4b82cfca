"""Deciding on every new movement of an import: credits matched to files and posted, outgoing
movements taken back or recorded, the rest queued for an agent; the outcomes are returned for the
import to write with the movements.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from amicable.domain.money import CENT
from amicable.files import ledger
from amicable.files.models import EntrySource
from amicable.payments.matching import Match, match_credits, method_note, payment_date
from amicable.payments.models import MovementStatus
from amicable.payments.outcomes import Outcome, queue_unmatched
from amicable.payments.outgoing import apply_debits
from amicable.payments.postings import (
    CURRENCY,
    Posted,
    after_postings,
    posted_payment,
)
from amicable.statements import BankMovement

__all__ = ["Reconciled", "reconcile"]


@dataclass(slots=True)
class Reconciled:
    """What the decisions on an import's movements did: the outcomes and methods counted, and
    what followed the postings."""

    outcomes: dict[str, int] = field(default_factory=dict)
    methods: dict[str, int] = field(default_factory=dict)
    files_paid: int = 0
    overpayments: int = 0
    proofs_confirmed: int = 0
    returns: int = 0


def reconcile(
    movements: list[tuple[int, BankMovement]], *, into: Reconciled, actor: str, today: date
) -> dict[int, Outcome]:
    """Decide on every new movement of an import (its key, the movement): credits are matched
    and posted first, then the outgoing movements (a return may take back a credit of the same
    file); what was done is counted ``into`` the import's report, and each movement's outcome
    returned by its key."""
    outcomes: dict[int, Outcome] = {}
    credits: list[tuple[int, BankMovement]] = []
    debits: list[tuple[int, BankMovement]] = []
    for movement_id, movement in movements:
        if movement.amount > 0 and movement.currency != CURRENCY:
            outcomes[movement_id] = Outcome(
                MovementStatus.UNMATCHED,
                reason=f"a payment in {movement.currency}: only euro payments are posted",
            )
        elif movement.amount > 0 and movement.amount != movement.amount.quantize(CENT):
            outcomes[movement_id] = Outcome(
                MovementStatus.UNMATCHED, reason="the amount has a fraction of a cent"
            )
        elif movement.amount > 0:
            credits.append((movement_id, movement))
        elif movement.amount < 0:
            debits.append((movement_id, movement))
        else:
            outcomes[movement_id] = Outcome(MovementStatus.IGNORED, reason="a zero amount")

    matches = match_credits([m for _, m in credits])
    to_post: list[tuple[int, BankMovement, Match]] = []
    for (movement_id, movement), match in zip(credits, matches, strict=True):
        if match.file_id is None:
            outcomes[movement_id] = Outcome(
                MovementStatus.UNMATCHED,
                reason=match.reason or "no reference to a file, and no known account",
                suggestions=match.suggestions,
            )
        else:
            to_post.append((movement_id, movement, match))
    # One batch for the whole statement (files.ledger.post_payments), in statement order.
    results = ledger.post_payments(
        [_order(movement, match) for _movement_id, movement, match in to_post], actor=actor
    )
    posted: list[Posted] = []
    for (movement_id, movement, match), result in zip(to_post, results, strict=True):
        assert match.file_id is not None
        if isinstance(result, ledger.LedgerError):
            outcomes[movement_id] = Outcome(
                MovementStatus.UNMATCHED, reason=str(result), suggestions=match.suggestions
            )
            continue
        outcomes[movement_id] = Outcome(
            MovementStatus.MATCHED,
            method=match.method,
            confidence=match.confidence,
            file_id=match.file_id,
            entry_id=result.entry.pk,
        )
        posted.append(posted_payment(movement_id, movement, match.file_id, result, match.method))

    effects = after_postings(posted, actor=actor, today=today)
    returns = apply_debits(debits, outcomes, actor=actor, imported=movements)
    queue_unmatched(
        [(i, m) for i, m in movements if outcomes[i].status == MovementStatus.UNMATCHED],
        outcomes,
        today=today,
    )
    into.outcomes = dict(Counter(o.status.value for o in outcomes.values()))
    into.methods = dict(
        Counter(o.method.value for o in outcomes.values() if o.status == MovementStatus.MATCHED)
    )
    into.files_paid = effects.files_paid
    into.overpayments = effects.overpayments
    into.proofs_confirmed = effects.proofs_confirmed
    into.returns = returns
    return outcomes


def _order(movement: BankMovement, match: Match) -> ledger.PaymentOrder:
    assert match.file_id is not None
    note = f"bank movement, {method_note(match.method)}"
    if match.instalment:
        note += f", instalment {match.instalment}"
    return ledger.PaymentOrder(
        file_id=match.file_id,
        amount=movement.amount,
        value_date=payment_date(movement),
        source=EntrySource.STATEMENT,
        source_reference=movement.identity,
        note=note,
    )
