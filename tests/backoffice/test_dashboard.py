"""The dashboard: open files by state, money collected per creditor, queues, as SVG charts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from amicable.backoffice.charts import bar_chart
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
            creditor="Alpha Énergie",
            this_week=Decimal("80.00"),
            this_month=Decimal("120.00"),
            last_month=Decimal("30.00"),
        ),
        Collected(
            creditor="Beta Télécom",
            this_week=Decimal("10.00"),
            this_month=Decimal("10.00"),
            last_month=Decimal("0.00"),
        ),
    ]
    assert (data.collected_this_month, data.collected_last_month) == (
        Decimal("130.00"),
        Decimal("30.00"),
    )
    dispute = next(q for q in data.queues if q.kind == WorkItemKind.DISPUTE)
    assert (dispute.open_items, dispute.overdue) == (1, 1)
    # Every file was handed over in May 2025: one month, three files, and what came in since.
    [may] = data.handovers
    principal = sum(c.principal for f in File.objects.all() for c in f.claims.all())
    assert (may.month, may.files, may.handed_over) == (date(2025, 5, 1), 3, principal)
    assert may.collected == Decimal("160.00")  # 30 + 100 + 20 (40 returned) + 10
    assert may.rate == (Decimal("160.00") * 100 / principal).quantize(Decimal("0.1"))


CHARTS = ["collected", "recovery", "queues", "states"]


def chart_html(html: str, chart: str) -> str:
    figure = re.search(rf'<figure class="chart" id="chart-{chart}">(.*?)</figure>', html, re.S)
    assert figure is not None, chart
    return figure.group(1)


def test_each_chart_is_a_table_with_its_figures_and_bars_hidden_from_screen_readers(
    supervisor: tuple[Client, User], activity: tuple[File, File]
) -> None:
    client, _ = supervisor
    client.cookies["django_language"] = "fr"
    html = client.get("/backoffice/dashboard/").content.decode()
    for chart in CHARTS:
        body = chart_html(html, chart)
        assert '<table class="chart-data" tabindex="0">' in body
        assert "<caption>" in body
        # The bars repeat the table: hidden from screen readers, no text inside them.
        for svg in re.findall(r"<svg[^>]*>.*?</svg>", body, re.S):
            assert 'aria-hidden="true"' in svg
            assert "<text" not in svg
    collected = chart_html(html, "collected")
    assert (
        '<th scope="row">Alpha Énergie</th><td class="num">120,00\u00a0€</td>'
        '<td class="num">30,00\u00a0€</td>'
    ) in collected
    # Drawn to scale: the largest figure fills the cell, the others in proportion.
    assert 'width="100.0" height="14"' in collected
    assert 'width="25.0" height="14"' in collected
    states = chart_html(html, "states")
    assert '<th scope="row">Contesté</th>' in states
    assert "disputed" not in states
    assert "formal_notice" not in states
    queues = chart_html(html, "queues")
    assert 'class="alert"' in queues  # the dispute queue has an item past its due date
    assert 'class="overdue-part"' in queues
    assert "Taux de recouvrement" in html


def test_the_dashboard_has_no_inline_style_or_script(
    supervisor: tuple[Client, User], activity: tuple[File, File]
) -> None:
    """The Content-Security-Policy allows no inline style or script (config/settings.py)."""
    client, _ = supervisor
    html = client.get("/backoffice/dashboard/").content.decode()
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html


def test_an_empty_chart_says_so(supervisor: tuple[Client, User]) -> None:
    client, _ = supervisor
    html = client.get("/backoffice/dashboard/").content.decode()
    body = chart_html(html, "collected")
    assert "Nothing to show yet." in body
    assert "<svg" not in body


@pytest.mark.parametrize(
    ("values", "widths"),
    [
        ([Decimal("80.00"), Decimal("10.00")], [100.0, 12.5]),
        ([3, 0], [100.0, 0.0]),
        ([Decimal("-5.00"), Decimal("5.00")], [0.0, 100.0]),
        ([1, 1000], [0.5, 100.0]),
        ([0, 0], [0.0, 0.0]),
    ],
    ids=["scaled", "zero", "negative", "tiny_still_visible", "all_zero"],
)
def test_bar_widths(values: list[Decimal | int], widths: list[float]) -> None:
    chart = bar_chart(
        title="t",
        heading="h",
        columns=["v"],
        rows=[(str(i), [v], [str(v)]) for i, v in enumerate(values)],
    )
    assert [row.bars[0].percent for row in chart.rows] == widths


def test_stacked_bars_start_where_the_previous_part_ends() -> None:
    chart = bar_chart(
        title="t", heading="h", columns=["open"], rows=[("q", [3, 1], ["4"])], stacked=True
    )
    [row] = chart.rows
    assert [(bar.offset, bar.percent, bar.y) for bar in row.bars] == [
        (0.0, 75.0, 0),
        (75.0, 25.0, 0),
    ]


def test_a_rate_is_drawn_against_a_hundred_percent() -> None:
    chart = bar_chart(
        title="t", heading="h", columns=["%"], rows=[("m", [40], ["40 %"])], scale=100
    )
    assert chart.rows[0].bars[0].percent == 40.0
