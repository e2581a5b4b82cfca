"""What the debtor declared with a proof of payment, shown to the agent who reviews it."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from amicable.files.models import File, WorkItem
from tests.factories import make_file
from tests.staff import make_proof

pytestmark = pytest.mark.django_db


def _declared(file: File, **data: str) -> WorkItem:
    item = make_proof(file)
    assert item.document is not None
    item.data = {"document_id": item.document.pk, **data}
    item.save(update_fields=["data"])
    return item


def _rows(html: str) -> list[tuple[str, str]]:
    section = html.split('<div class="declaration">', 1)[1].split("</dl>", 1)[0]
    rows = []
    for chunk in section.split("<dt>")[1:]:
        label, rest = chunk.split("</dt><dd>", 1)
        rows.append((label, rest.split("</dd>", 1)[0]))
    return rows


def test_the_work_item_shows_the_declared_amount_date_and_communication(
    agent: tuple[Client, User],
) -> None:
    client, _user = agent
    file = make_file(today=date(2025, 6, 1), language="fr")
    item = _declared(
        file,
        paid_to="agency",
        paid_on="2025-06-10",
        amount="1234.56",
        structured_communication="010806817183",
    )
    html = client.get(f"/backoffice/items/{item.pk}/").content.decode()
    assert _rows(html) == [
        ("Paid to", "The agency"),
        ("Amount", "€1,234.56"),
        ("Payment date", "2025-06-10"),
        ("Structured communication", "+++010/8068/17183+++"),
    ]
    # Shown once, as the declaration, not again as raw data.
    assert "010806817183" not in html


def test_parts_left_out_show_as_a_dash_and_the_file_page_shows_them_too(
    agent: tuple[Client, User],
) -> None:
    client, _user = agent
    file = make_file(today=date(2025, 6, 1), language="fr")
    _declared(file, paid_to="creditor", structured_communication="RF18539007547034")
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert _rows(html) == [
        ("Paid to", "The creditor"),
        ("Amount", "—"),
        ("Payment date", "—"),
        ("Structured communication", "RF18539007547034"),
    ]


def test_an_item_without_a_declaration_shows_none(agent: tuple[Client, User]) -> None:
    client, _user = agent
    item = make_proof(make_file(today=date(2025, 6, 1), language="fr"))
    html = client.get(f"/backoffice/items/{item.pk}/").content.decode()
    assert 'class="declaration"' not in html
