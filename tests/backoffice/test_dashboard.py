"""The dashboard: open files by state, money collected per creditor, queues, as SVG charts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from amicable.backoffice.charts import BAR_AREA, bar_chart
from amicable.backoffice.oversight import Collected
from amicable.domain.lifecycle import FileState
from amicable.files.ledger import post_payment, reverse_payment
from amicable.files.lifecycle import change_file_state
from amicable.files.models import EntryKind, EntrySource, File, WorkItem, WorkItemKind
from tests.factories import make_creditor, make_file
from tests.staff import TODAY

pytestmark = pytest.mark.django_db


def pay(file: File, amount: str, on: date, *, kind: str = EntryKind.PAYMENT) -> None:
    post_payment(
        file=file,
        amount=Decimal(amount),
        value_date=on,
        actor="bank",
        source=EntrySource.STATEMENT,
        source_reference=f"{file.reference}-{amount}-{on}",
        kind=kind,
    )


@pytest.fixture
def activity(db: None) -> tuple[File, File]:
    alpha = make_file(creditor=make_creditor(name="Alpha Énergie"), today=date(2025, 5, 1))
    beta = make_file(creditor=make_creditor(name="Beta Télécom"), today=date(2025, 5, 1))
    make_file(creditor=make_creditor(name="Gamma"), today=date(2025, 5, 1))
    change_file_state(file=beta, new_state=FileState.DISPUTED, actor="portal")
    pay(alpha, "30.00", date(2025, 5, 30))  # last month: not counted
    pay(alpha, "40.00", date(2025, 6, 5))  # this month, not this week
    pay(alpha, "100.00", date(2025, 6, 17))  # this week
    pay(alpha, "20.00", date(2025, 6, 16), kind=EntryKind.CREDITOR_PAYMENT)
    returned = alpha.ledger.get(amount=Decimal("-40.00"))
    reverse_payment(entry=returned, on=TODAY, actor="bank", reason="returned by the bank")
    pay(beta, "10.00", TODAY)
    WorkItem.objects.create(
        kind=WorkItemKind.DISPUTE, file=beta, title="dispute", due_on=TODAY - timedelta(days=1)
    )
    return alpha, beta


def test_the_figures_are_aggregated_per_state_and_creditor(
    supervisor: tuple[Client, User], activity: tuple[File, File]
) -> None:
    client, _ = supervisor
    response = client.get("/backoffice/dashboard/")
    assert response.status_code == 200
    data = response.context["data"]
    assert (data.week_start, data.month_start) == (date(2025, 6, 16), date(2025, 6, 1))
    counts = dict(data.files_by_state)
    assert counts[FileState.FORMAL_NOTICE] == 2
    assert counts[FileState.DISPUTED] == 1
    assert sum(counts.values()) == 3
    assert FileState.PAID not in counts  # only open states
    assert data.collected == [
        Collected(
            creditor="Alpha Énergie", this_week=Decimal("80.00"), this_month=Decimal("120.00")
        ),
        Collected(creditor="Beta Télécom", this_week=Decimal("10.00"), this_month=Decimal("10.00")),
    ]
    dispute = next(q for q in data.queues if q.kind == WorkItemKind.DISPUTE)
    assert (dispute.open_items, dispute.overdue) == (1, 1)


def test_each_chart_is_an_svg_with_a_table_of_the_same_figures(
    supervisor: tuple[Client, User], activity: tuple[File, File]
) -> None:
    client, _ = supervisor
    html = client.get("/backoffice/dashboard/").content.decode()
    for chart in ["states", "queues", "week", "month", "ages"]:
        figure = re.search(rf'<figure class="chart" id="chart-{chart}">(.*?)</figure>', html, re.S)
        assert figure is not None, chart
        body = figure.group(1)
        assert f'role="img" aria-labelledby="chart-{chart}-title chart-{chart}-desc"' in body
        assert '<table class="chart-data">' in body
    week = re.search(r'id="chart-week">(.*?)</figure>', html, re.S)
    assert week is not None
    assert '<th scope="row">Alpha Énergie</th><td class="num">€80.00</td>' in week.group(1)
    assert '<th scope="row">Beta Télécom</th><td class="num">€10.00</td>' in week.group(1)
    # The bars are drawn to scale: the largest fills the bar area.
    assert f'width="{BAR_AREA}" height="16"' in week.group(1)
    assert f'width="{BAR_AREA * 10 // 80}" height="16"' in week.group(1)


def test_an_empty_chart_says_so(supervisor: tuple[Client, User]) -> None:
    client, _ = supervisor
    html = client.get("/backoffice/dashboard/").content.decode()
    week = re.search(r'id="chart-week">(.*?)</figure>', html, re.S)
    assert week is not None
    assert "Nothing to show yet." in week.group(1)
    assert "<svg" not in week.group(1)


@pytest.mark.parametrize(
    ("values", "widths"),
    [
        ([Decimal("80.00"), Decimal("10.00")], [360, 45]),
        ([3, 0], [360, 0]),
        ([Decimal("-5.00"), Decimal("5.00")], [0, 360]),
        ([1, 1000], [1, 360]),
        ([0, 0], [0, 0]),
    ],
    ids=["scaled", "zero", "negative", "tiny_still_visible", "all_zero"],
)
def test_bar_widths(values: list[Decimal | int], widths: list[int]) -> None:
    chart = bar_chart(title="t", rows=[(str(i), v, str(v)) for i, v in enumerate(values)])
    assert [bar.width for bar in chart.bars] == widths
    assert [bar.y for bar in chart.bars] == [6 + 24 * i for i in range(len(values))]
    assert chart.height == 24 * len(values) + 12
