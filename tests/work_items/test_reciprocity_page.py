"""The back office's work-item page lets an agent confirm or deny, from the documents, that a
damages clause booked before the declaration existed is reciprocal (CEL art. VI.83, 17°)."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from amicable.domain.imputation import Component
from amicable.files import ledger
from amicable.files.models import Claim, EntryKind, File, LedgerEntry, WorkItem, WorkItemKind
from tests.factories import make_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_day")]
migration = importlib.import_module("amicable.files.migrations.0012_reciprocity")


def _review() -> tuple[File, WorkItem]:
    file = make_file()
    claim = file.claims.get()
    ledger.charge_indemnity(claim=claim, on=date(2025, 3, 20), actor="daily-run")
    Claim.objects.filter(pk=claim.pk).update(
        indemnity_reciprocity="not_declared", reciprocity_declared_by=""
    )
    migration.open_reviews(apps, None)
    return file, WorkItem.objects.get(file=file, kind=WorkItemKind.RECIPROCITY_REVIEW)


def test_vi83_17_the_page_asks_and_a_denial_reverses(agent: tuple[Client, User]) -> None:
    client, user = agent
    file, item = _review()
    page = client.get(f"/backoffice/items/{item.pk}/").content.decode()
    assert 'id="reciprocity"' in page
    assert "art. VI.83, 17°" in page
    assert file.claims.get().creditor_reference in page
    # No "close by hand" form: the decision closes the item.
    assert f"/backoffice/items/{item.pk}/close/" not in page

    response = client.post(
        f"/backoffice/items/{item.pk}/reciprocity/", {"decision": "not_reciprocal"}
    )
    assert response.status_code == 302
    reversal = LedgerEntry.objects.get(file=file, kind=EntryKind.REVERSAL)
    assert (reversal.component, reversal.amount, reversal.actor) == (
        Component.INDEMNITY,
        Decimal("-25.00"),
        f"staff:{user.username}",
    )
    # The file's page tells staff why the claim carries no indemnity any more.
    file_page = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert "clause not reciprocal: no indemnity (CEL art. VI.83, 17°)" in file_page
    claim = file.claims.get()
    assert (claim.indemnity_reciprocity, claim.reciprocity_declared_by) == (
        "not_reciprocal",
        f"staff:{user.username}",
    )


def test_vi83_17_a_missing_decision_changes_nothing(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file, item = _review()
    response = client.post(f"/backoffice/items/{item.pk}/reciprocity/", {"decision": "maybe"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "open"
    assert file.claims.get().indemnity_reciprocity == "not_declared"
    assert not LedgerEntry.objects.filter(file=file, kind=EntryKind.REVERSAL).exists()
