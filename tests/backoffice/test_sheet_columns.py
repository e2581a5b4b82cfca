"""The import page explains the sheet's format on the page, one row per column the importer
reads (docs/intake.md, "The CSV/XLSX import"), in the staff member's language."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from amicable.backoffice.sheet_columns import SHEET_COLUMNS
from amicable.intake.importer import COLUMNS, REQUIRED_COLUMNS


def test_every_column_of_the_importer_is_explained_once() -> None:
    assert [column.name for column in SHEET_COLUMNS] == list(COLUMNS)
    assert {c.name for c in SHEET_COLUMNS if c.required} == set(REQUIRED_COLUMNS)


def test_the_import_page_shows_the_columns_in_the_back_office_layout(
    supervisor: tuple[Client, User],
) -> None:
    client, _ = supervisor
    client.cookies["django_language"] = "nl"
    html = client.get("/backoffice/intake/upload").content.decode()
    assert '<header class="site">' in html  # the back office's layout and navigation
    assert "docs/intake.md" not in html  # no path of the repository
    assert "<code>interest_rate</code>" in html
    assert "de contractuele rentevoet in procent per jaar" in html
