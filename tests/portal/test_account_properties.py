"""Hypothesis: on any file, "what you owe" adds up and says what the ledger and the statement say.

Random files get charges (indemnity, interest, reminder costs, through the ledger's own
functions), payments, payments returned by the bank and reductions; whatever happened, the
account table the debtor reads holds its arithmetic (each line: charged - paid = still owed,
never below zero; each column sums to its total), its total owed is the ledger's balance and
the dated statement's total, the statement charges what the table charges and counts the same
payments, and money paid beyond what was due is a credit line.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from amicable.domain.imputation import Component
from amicable.files import ledger
from amicable.files.models import Claim, EntryKind, File, LedgerEntry
from amicable.letters.statement import statement_of_account
from amicable.portal.selectors import get_breakdown
from tests.factories import claim_input, make_file
from tests.portal.account_table import read_account

pytestmark = pytest.mark.django_db

START = date(2025, 3, 20)  # the first chargeable day of the claims below
AS_OF = START + timedelta(days=75)
ZERO = Decimal("0.00")
COMPONENTS = (Component.PRINCIPAL, Component.INDEMNITY, Component.INTEREST, Component.REMINDER_COST)

ACTIONS = ("pay", "interest", "indemnity", "reminder", "return", "reduce")


@dataclass(frozen=True, slots=True)
class Step:
    """One thing that happens to the file on ``START + day``; ``claim``, ``component`` and
    ``amount`` are read by the actions that need them."""

    action: str
    day: int
    claim: int = 0
    component: Component = Component.PRINCIPAL
    amount: Decimal = Decimal("0.00")


steps = st.lists(
    st.builds(
        Step,
        action=st.sampled_from(ACTIONS),
        day=st.integers(0, 60),
        claim=st.integers(0, 1),
        component=st.sampled_from(COMPONENTS),
        amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("450"), places=2),
    ),
    min_size=1,
    max_size=10,
)


def _apply(file: File, claims: list[Claim], number: int, step: Step) -> None:
    day = START + timedelta(days=step.day)
    claim = claims[step.claim]
    # A step the law or the ledger refuses (an indemnity charged twice, a reminder before the
    # free ones are used, a return with nothing to return) changes nothing: that is fine here.
    with contextlib.suppress(ledger.LedgerError, ledger.ChargeRefused):
        if step.action == "pay":
            ledger.post_payment(
                file=file,
                amount=step.amount,
                value_date=day,
                actor="bank",
                source="statement",
                source_reference=f"{file.reference}-{number}",
            )
        elif step.action == "interest":
            ledger.book_interest(file=file, through=day, actor="t")
        elif step.action == "indemnity":
            ledger.charge_indemnity(claim=claim, on=day, actor="t")
        elif step.action == "reminder":
            ledger.charge_reminder_cost_on(
                claim=claim,
                on=day,
                postage=Decimal("1.65"),
                actor="t",
                earlier_reminders_this_year=3,
            )
        elif step.action == "return":
            payment = (
                LedgerEntry.objects.filter(file=file, kind=EntryKind.PAYMENT, reversed_by=None)
                .order_by("-id")
                .first()
            )
            if payment is not None:
                ledger.reverse_payment(entry=payment, on=day, actor="bank", reason="returned")
        elif step.action == "reduce":
            held = ledger.file_balance(file, as_of=date.max, with_accrued_interest=False)
            charged = next(c for c in held.claims if c.claim_id == claim.pk).charged[step.component]
            if charged > 0:
                ledger.reduce_charge(
                    claim=claim,
                    component=step.component,
                    amount=min(step.amount, charged),
                    on=day,
                    actor="t",
                    reason="test",
                )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
# An indemnity paid, then taken off: what paid it goes to the principal, the rest is a credit.
@example(
    steps=[
        Step("indemnity", 0),
        Step("pay", 5, amount=Decimal("450.00")),
        Step("reduce", 20, component=Component.INDEMNITY, amount=Decimal("25.00")),
    ]
)
# A payment dated before interest already booked, then a reminder's cost and a return.
@example(
    steps=[
        Step("interest", 30),
        Step("pay", 5, amount=Decimal("50.00")),
        Step("reminder", 35, claim=1),
        Step("return", 40),
    ]
)
def test_the_account_adds_up_and_agrees_with_the_ledger_and_the_statement(
    steps: list[Step],
) -> None:
    file = make_file(
        claims=[
            claim_input(principal=Decimal("250.00"), due_date=date(2025, 1, 10)),
            claim_input(principal=Decimal("180.00"), due_date=date(2025, 2, 10)),
        ]
    )
    claims = list(file.claims.order_by("due_date", "id"))
    for number, step in enumerate(steps):
        _apply(file, claims, number, step)

    breakdown = get_breakdown(file, today=AS_OF)
    with translation.override("fr"):
        html = render_to_string("portal/_account.html", {"breakdown": breakdown, "explain": True})
    table = read_account(html)

    # The arithmetic a reader does: across each line, down each column.
    assert len(table.lines) == len(COMPONENTS)
    for name, (charged, paid, owed) in table.lines.items():
        assert charged - paid == owed, name
        assert owed >= 0, name  # money beyond what is due is a credit, not a negative debt
    for column in range(3):
        assert sum(line[column] for line in table.lines.values()) == table.total[column]

    # The ledger's one reading, and the statement built from it.
    balance = ledger.file_balance(file, as_of=AS_OF)
    assert table.total[2] == balance.outstanding
    assert (table.credit or ZERO) == balance.credit
    statement = statement_of_account(file, on=AS_OF)
    assert statement.total == table.total[2]
    # The statement shows interest waived as a line of its own under the interest it lowers.
    as_component = {"reduction": Component.INTEREST.value}
    charged_on_statement = [
        sum(
            (i.amount for i in statement.items if as_component.get(i.component, i.component) == c),
            ZERO,
        )
        for c in COMPONENTS
    ]
    assert charged_on_statement == [line[0] for line in table.lines.values()]
    paid_on_statement = -sum((i.amount for i in statement.items if i.component == "payment"), ZERO)
    assert paid_on_statement == table.total[1]
