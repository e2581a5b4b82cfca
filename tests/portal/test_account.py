"""Journey 1: "what you owe" adds up, line by line and column by column, like the statement.

Per component (principal, lump-sum indemnity, interest, reminder costs): charged, paid, still
owed, with each column's total; money paid beyond what was due is a credit line, never a
negative amount owed; the figures are the ledger's and the dated statement of account's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from amicable.domain.imputation import Component
from amicable.files import ledger
from amicable.files.models import File
from amicable.letters.statement import statement_of_account
from tests.portal.account_table import Table, read_account
from tests.portal.conftest import Cast, sign_in

pytestmark = pytest.mark.usefixtures("_today")

TODAY = date(2025, 5, 2)
D = Decimal
LINES = ("Principal", "Indemnité forfaitaire", "Intérêts", "Frais de rappel")


@pytest.fixture
def _today() -> object:
    with time_machine.travel("2025-05-02 10:00 +02:00", tick=False) as traveller:
        yield traveller


def _indemnity_then_pay(file: File, amount: str) -> None:
    """The indemnity charged on 20/03/2025, then ``amount`` paid on 10/04/2025."""
    ledger.charge_indemnity(claim=file.claims.get(), on=date(2025, 3, 20), actor="t")
    ledger.post_payment(
        file=file,
        amount=Decimal(amount),
        value_date=date(2025, 4, 10),
        actor="bank",
        source="statement",
        source_reference="mv-1",
    )


def _owe_page(client: Client, cast: Cast) -> Table:
    sign_in(client, cast)
    return read_account(client.get(f"/files/{cast.file.reference}/").content.decode())


def _assert_adds_up(table: Table) -> None:
    for name, (charged, paid, owed) in table.lines.items():
        assert charged - paid == owed, name
        assert owed >= 0, name
    for column in range(3):
        assert sum(line[column] for line in table.lines.values()) == table.total[column]


def test_a_payment_shows_in_the_line_it_paid_and_every_line_adds_up(
    client: Client, cast: Cast
) -> None:
    # The file: an indemnity, then a payment that paid it; the table used to show the
    # indemnity at 0,00 and "already paid" 100,00 under it, adding up to nothing.
    _indemnity_then_pay(cast.file, "100.00")
    table = _owe_page(client, cast)
    # 100.00 on 10/04/2025: 0.92 interest (20/03 to 09/04 on 200.00 at 8 %), 25.00 indemnity,
    # 74.08 principal; then 10/04 to 02/05 on 125.92: interest owed 1.55 in all.
    assert table.lines == {
        "Principal": (D("200.00"), D("74.08"), D("125.92")),
        "Indemnité forfaitaire": (D("25.00"), D("25.00"), D("0.00")),
        "Intérêts": (D("1.55"), D("0.92"), D("0.63")),
        "Frais de rappel": (D("0.00"), D("0.00"), D("0.00")),
    }
    assert table.total == (D("226.55"), D("100.00"), D("126.55"))
    assert table.credit is None
    _assert_adds_up(table)
    balance = ledger.file_balance(cast.file, as_of=TODAY)
    assert table.total[2] == balance.outstanding


def test_the_table_has_the_figures_of_the_dated_statement(client: Client, cast: Cast) -> None:
    _indemnity_then_pay(cast.file, "100.00")
    table = _owe_page(client, cast)
    items = statement_of_account(cast.file, on=TODAY).items
    charged = {
        component: sum((i.amount for i in items if i.component == component.value), D("0.00"))
        for component in (
            Component.PRINCIPAL,
            Component.INDEMNITY,
            Component.INTEREST,
            Component.REMINDER_COST,
        )
    }
    assert [table.lines[name][0] for name in LINES] == list(charged.values())
    assert -sum(i.amount for i in items if i.component == "payment") == table.total[1]
    assert sum(i.amount for i in items) == table.total[2]


def test_each_line_keeps_its_reason_and_legal_basis(client: Client, cast: Cast) -> None:
    table = _owe_page(client, cast)
    # The cap of art. XIX.4 on 200.00 is 30 + 10 % of 50 = 35.00.
    assert "Sur un solde de 200,00\u00a0€, la loi permet au maximum 35,00\u00a0€." in table.html
    # Paper reminder of Monday 03/03/2025: the 14 days ran from 06/03 to 19/03/2025.
    grace = "Le délai de 14 jours qui suivait le premier rappel gratuit a pris fin le 19/03/2025."
    assert grace in table.html
    for basis in (
        "Base : votre contrat avec le créancier.",
        "Base : Code de droit économique, art. XIX.4.",
        "Base : Code de droit économique, art. XIX.4 ; loi du 2 août 2002, art. 5.",
        "Base : Code de droit économique, art. XIX.2.",
    ):
        assert basis.replace(" :", "\u00a0:").replace(" ;", "\u00a0;") in table.html
    # Within the published rates, nothing is said about a rate missing.
    assert "comptés jusqu’au" not in table.html


def test_an_overpayment_is_a_credit_line_never_a_negative_amount_owed(
    client: Client, cast: Cast
) -> None:
    _indemnity_then_pay(cast.file, "300.00")
    table = _owe_page(client, cast)
    # 300.00 on 10/04/2025 paid 0.92 + 25.00 + 200.00: 74.08 left over, the principal paid.
    assert table.total == (D("225.92"), D("225.92"), D("0.00"))
    assert table.credit == D("74.08")
    assert "Crédit en votre faveur" in table.html
    _assert_adds_up(table)


@pytest.mark.parametrize(
    ("language", "headings", "total"),
    [
        ("fr", ("Réclamé", "Payé", "Reste dû"), "<strong>126,55\u00a0€</strong>"),
        ("nl", ("Aangerekend", "Betaald", "Nog verschuldigd"), "<strong>€\u00a0126,55</strong>"),
        ("de", ("Berechnet", "Bezahlt", "Noch offen"), "<strong>126,55\u00a0€</strong>"),
        ("en", ("Charged", "Paid", "Still owed"), "<strong>€126.55</strong>"),
    ],
)
def test_the_table_in_each_language_with_belgian_amounts(
    client: Client, cast: Cast, language: str, headings: tuple[str, ...], total: str
) -> None:
    _indemnity_then_pay(cast.file, "100.00")
    sign_in(client, cast)
    client.cookies["django_language"] = language
    html = client.get(f"/files/{cast.file.reference}/").content.decode()
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert [cell.split("</th>")[0] for cell in head.split('class="num">')[1:]] == list(headings)
    assert total in html


def test_the_payments_page_shows_the_same_account_as_its_payments(
    client: Client, cast: Cast
) -> None:
    _indemnity_then_pay(cast.file, "100.00")
    sign_in(client, cast)
    payments = client.get(f"/files/{cast.file.reference}/payments/").content.decode()
    # The split of the one payment (interest, indemnity, reminder costs, principal) is the
    # "paid" column of the account shown under it, and of the "what you owe" page.
    split = payments.split('<dl class="split">', 1)[1].split("</dl>", 1)[0]
    assert [cell.split("</dd>")[0] for cell in split.split("<dd>")[1:]] == [
        "0,92\u00a0€",
        "25,00\u00a0€",
        "0,00\u00a0€",
        "74,08\u00a0€",
    ]
    table = read_account(payments)
    assert [table.lines[name][1] for name in LINES] == [
        D("74.08"),
        D("25.00"),
        D("0.92"),
        D("0.00"),
    ]
    owe = read_account(client.get(f"/files/{cast.file.reference}/").content.decode())
    assert (table.lines, table.total, table.credit) == (owe.lines, owe.total, owe.credit)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "Les intérêts sont comptés jusqu’au 30/06/2026\u00a0:"),
        ("nl", "De interesten zijn berekend tot 30/06/2026:"),
        ("de", "Die Zinsen sind bis zum 30/06/2026 berechnet:"),
        ("en", "Interest is shown up to 30/06/2026:"),
    ],
)
def test_interest_says_up_to_which_day_when_the_rate_table_stops_before_today(
    client: Client, cast: Cast, language: str, sentence: str
) -> None:
    # The package's table knows the rates up to 30 June 2026 (no commercial rate yet for the
    # second half): on 15 September the interest of an 8 % invoice stops there, and says so.
    with time_machine.travel("2026-09-15 10:00 +02:00", tick=False):
        sign_in(client, cast)
        client.cookies["django_language"] = language
        table = read_account(client.get(f"/files/{cast.file.reference}/").content.decode())
    assert table.html.split('<span class="interest-counted">', 1)[1].startswith(sentence)
    # 8 % on 200.00 from 20/03/2025 to 30/06/2026 (468 days): 20.51, not a day more.
    interest = list(table.lines.values())[2]
    assert interest == (D("20.51"), D("0.00"), D("20.51"))
