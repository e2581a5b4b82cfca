"""A damages clause counts only if it is reciprocal (CEL art. VI.83, 17°; docs/legal.md,
section 2): the single path refuses an indemnity on a clause not declared reciprocal, hand-over
records who declared what, existing bookings wait for an agent who keeps or reverses them."""

from __future__ import annotations

import importlib
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from amicable.domain.imputation import Component
from amicable.domain.law import ChargeRefused, RefusalReason
from amicable.files import ledger
from amicable.files.actions import ActionRefused
from amicable.files.models import (
    Claim,
    EntryKind,
    Event,
    File,
    LedgerEntry,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.work_items.assignment import close_work_item, closes_by_decision
from amicable.work_items.reciprocity import decide_reciprocity
from tests.factories import claim_input, make_file

pytestmark = pytest.mark.django_db

# paper reminder sent Mon 2025-03-03: chargeable from 2025-03-20 (docs/legal.md, section 1)
CHARGEABLE = date(2025, 3, 20)
NOW = timezone.make_aware(datetime(2025, 6, 2, 10, 0))
migration = importlib.import_module("amicable.files.migrations.0012_reciprocity")


@pytest.mark.parametrize(
    ("declared", "reason"),
    [
        ("not_declared", RefusalReason.RECIPROCITY_NOT_DECLARED),
        ("not_reciprocal", RefusalReason.CLAUSE_NOT_RECIPROCAL),
    ],
)
def test_vi83_17_single_path_refuses_an_indemnity_not_declared_reciprocal(
    declared: str, reason: RefusalReason
) -> None:
    file = make_file(claims=[claim_input(indemnity_reciprocity=declared)])
    claim = file.claims.get()
    with pytest.raises(ChargeRefused) as refused:
        ledger.charge_indemnity(claim=claim, on=CHARGEABLE, actor="test")
    assert refused.value.refusal.reason is reason
    assert refused.value.refusal.article == "CEL art. VI.83, 17°"
    assert not LedgerEntry.objects.filter(file=file, component=Component.INDEMNITY).exists()
    # The interest clause is another clause: it is not touched (CEL art. XIX.4).
    assert ledger.file_balance(file, as_of=date(2025, 6, 1)).claims[0].interest_lines


def test_vi83_17_hand_over_records_who_declared_the_clause_and_when() -> None:
    file = make_file(claims=[claim_input(indemnity_reciprocity="reciprocal")])
    declared = file.claims.get()
    assert declared.indemnity_reciprocity == "reciprocal"
    assert declared.reciprocity_declared_by == "test"
    assert declared.reciprocity_declared_at is not None
    bare = make_file(claims=[claim_input(indemnity_reciprocity="not_declared")]).claims.get()
    assert (bare.indemnity_reciprocity, bare.reciprocity_declared_by) == ("not_declared", "")
    assert bare.reciprocity_declared_at is None
    # The creditor is told at hand-over that this clause will give no indemnity.
    told = Event.objects.get(file=bare.file, kind="reciprocity_declared")
    assert told.data["reason"] == "reciprocity_not_declared"
    assert told.data["article"] == "CEL art. VI.83, 17°"


def _booked_before_the_declaration(*, paid: Decimal = Decimal("0.00")) -> File:
    """A file that held an indemnity of 25.00 before the declaration existed, as the migration
    finds it: the clause now 'not declared'."""
    file = make_file()
    claim = file.claims.get()
    ledger.charge_indemnity(claim=claim, on=CHARGEABLE, actor="daily-run")
    if paid:
        ledger.post_payment(
            file=file,
            amount=paid,
            value_date=date(2025, 4, 1),
            actor="test",
            source="statement",
            source_reference="p1",
        )
    Claim.objects.filter(pk=claim.pk).update(
        indemnity_reciprocity="not_declared",
        reciprocity_declared_by="",
        reciprocity_declared_at=None,
    )
    return file


def _review(file: File) -> WorkItem:
    migration.open_reviews(apps, None)
    return WorkItem.objects.get(file=file, kind=WorkItemKind.RECIPROCITY_REVIEW)


def test_vi83_17_the_migration_asks_an_agent_only_for_files_with_an_indemnity_booked() -> None:
    booked = _booked_before_the_declaration()
    nothing_booked = make_file()
    Claim.objects.filter(file=nothing_booked).update(indemnity_reciprocity="not_declared")
    item = _review(booked)
    assert item.data["claims"] == [booked.claims.get().pk]
    assert item.status == WorkItemStatus.OPEN
    assert not WorkItem.objects.filter(file=nothing_booked).exists()
    # It closes only with the decision, never by hand.
    assert closes_by_decision(item)
    with pytest.raises(ActionRefused):
        close_work_item(item=item, outcome="done", actor="agent", now=NOW)


def test_vi83_17_an_agent_who_confirms_keeps_the_indemnity_and_is_on_record() -> None:
    file = _booked_before_the_declaration()
    item = decide_reciprocity(
        item=_review(file), reciprocal=True, actor="agent.anne", now=NOW, today=date(2025, 6, 2)
    )
    claim = file.claims.get()
    assert claim.indemnity_reciprocity == "reciprocal"
    assert (claim.reciprocity_declared_by, claim.reciprocity_declared_at) == ("agent.anne", NOW)
    assert ledger.file_balance(file, as_of=date(2025, 6, 2)).claims[0].charged[
        Component.INDEMNITY
    ] == Decimal("25.00")
    assert (item.status, item.closed_by) == (WorkItemStatus.DONE, "agent.anne")
    event = Event.objects.get(file=file, kind="reciprocity_declared")
    assert (event.actor, event.data["reciprocity"]) == ("agent.anne", "reciprocal")


def test_vi83_17_an_agent_who_denies_reverses_the_indemnity_through_the_ledger() -> None:
    # 30.00 paid on 1 April went to the charges before the principal (old Civil Code
    # art. 1254); what it paid of the indemnity is applied again to what is still open.
    file = _booked_before_the_declaration(paid=Decimal("30.00"))
    charge = LedgerEntry.objects.get(
        file=file, component=Component.INDEMNITY, kind=EntryKind.CHARGE
    )
    before = ledger.file_balance(file, as_of=date(2025, 6, 2), with_accrued_interest=False)
    decide_reciprocity(
        item=_review(file), reciprocal=False, actor="agent.bob", now=NOW, today=date(2025, 6, 2)
    )
    reversal = LedgerEntry.objects.get(file=file, kind=EntryKind.REVERSAL)
    # Reversal, never deletion: the charge is still there, and the reversal points to it.
    assert LedgerEntry.objects.filter(pk=charge.pk).exists()
    assert (reversal.reverses_id, reversal.amount, reversal.actor) == (
        charge.pk,
        Decimal("-25.00"),
        "agent.bob",
    )
    assert "VI.83, 17°" in reversal.note
    after = ledger.file_balance(file, as_of=date(2025, 6, 2), with_accrued_interest=False)
    claim_after = after.claims[0]
    assert claim_after.charged[Component.INDEMNITY] == Decimal("0.00")
    assert claim_after.outstanding(Component.INDEMNITY) == Decimal("0.00")
    # The debtor owes 25.00 less, the money paid stays applied (to the principal now).
    assert after.outstanding == before.outstanding - Decimal("25.00")
    assert after.ledger_sum == after.outstanding - after.credit
    assert file.claims.get().indemnity_reciprocity == "not_reciprocal"
    # No new indemnity is charged on the clause afterwards (CEL art. VI.83, 17°).
    with pytest.raises(ledger.LedgerError):
        ledger.charge_indemnity(claim=file.claims.get(), on=date(2025, 6, 3), actor="t")
    decisions = ledger.indemnity_decisions(file, on=date(2025, 6, 3))
    assert [(d.amount, d.rule) for d in decisions] == [(Decimal("0.00"), "clause_not_reciprocal")]


def test_vi83_17_a_decided_item_cannot_be_decided_again() -> None:
    file = _booked_before_the_declaration()
    item = _review(file)
    decide_reciprocity(item=item, reciprocal=True, actor="a", now=NOW, today=date(2025, 6, 2))
    with pytest.raises(ActionRefused):
        decide_reciprocity(item=item, reciprocal=False, actor="b", now=NOW, today=date(2025, 6, 2))
    assert not LedgerEntry.objects.filter(file=file, kind=EntryKind.REVERSAL).exists()
