"""The creditor's capacity becomes a code: the free text stored before is mapped, forwards and
back, on real rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amicable.files.models import Creditor

BEFORE = [("files", "0007_state_memory_and_event_audience")]
AFTER = [("files", "0008_creditor_capacity_code")]


def _creditor(apps: object, reference: str, capacity: str) -> None:
    model = apps.get_model("files", "Creditor")  # type: ignore[attr-defined]
    model.objects.create(
        reference=reference,
        name=reference,
        enterprise_number="0403170701",
        address="Rue Haute 1",
        postal_code="1000",
        city="Bruxelles",
        phone="+32 2 123 45 67",
        email=f"{reference}@example.be",
        capacity=capacity,
        remittance_iban="BE71096123456769",
    )


@pytest.mark.django_db(transaction=True)
def test_the_stored_capacities_become_codes_and_come_back() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    for reference, capacity in (
        ("default", "original creditor"),
        ("shouted", "  Original Creditor "),
        ("assigned", "new creditor after an assignment"),
        ("french", "cessionnaire de la créance"),
        ("dutch", "nieuwe schuldeiser"),
        ("other", "créancier"),
    ):
        _creditor(old_apps, reference, capacity)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    assert dict(Creditor.objects.values_list("reference", "capacity")) == {
        "default": "original",
        "shouted": "original",
        "assigned": "assignee",
        "french": "assignee",
        "dutch": "assignee",
        "other": "original",
    }

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    rows = old_apps.get_model("files", "Creditor").objects.values_list("reference", "capacity")
    assert dict(rows)["assigned"] == "new creditor after an assignment"
    assert dict(rows)["default"] == "original creditor"
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
