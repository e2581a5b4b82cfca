"""The daily run charges no lump-sum indemnity on a damages clause not declared reciprocal
(CEL art. VI.83, 17°; docs/legal.md, section 2), and the single path agrees with it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from amicable.domain.imputation import Component
from amicable.domain.law import ChargeRefused, RefusalReason
from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.models import Event, LedgerEntry
from tests.workflow.conftest import MONDAY, pending_file, produce, run, state_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("declared", ["not_declared", "not_reciprocal"])
def test_vi83_17_the_daily_run_charges_no_indemnity_without_reciprocity(declared: str) -> None:
    undeclared = pending_file(indemnity_reciprocity=declared)
    reciprocal = pending_file(indemnity_reciprocity="reciprocal")
    run(MONDAY)
    produce("first_reminder", on=MONDAY)  # the reminder left: its grace period runs
    result = run(date(2025, 3, 18))
    # The file moves on as any other (the notice, the interest); only the indemnity is not due.
    assert state_of(undeclared) is FileState.FORMAL_NOTICE
    assert not LedgerEntry.objects.filter(file=undeclared, component=Component.INDEMNITY).exists()
    assert LedgerEntry.objects.filter(file=undeclared, component=Component.INTEREST).exists()
    # The reciprocal clause next to it is charged as before: 10 % of 200, minimum 25 (XIX.4).
    assert list(
        LedgerEntry.objects.filter(file=reciprocal, component=Component.INDEMNITY).values_list(
            "amount", flat=True
        )
    ) == [Decimal("25.00")]
    assert result.counts["indemnities_charged"] == 1
    # A standing refusal is not told again every day on the timeline.
    run(date(2025, 3, 19))
    assert not Event.objects.filter(file=undeclared, kind="charge_refused").exists()
    # The single path decides the same with the same function.
    with pytest.raises(ChargeRefused) as refused:
        ledger.charge_indemnity(claim=undeclared.claims.get(), on=date(2025, 3, 20), actor="agent")
    assert refused.value.refusal.article == "CEL art. VI.83, 17°"
    assert refused.value.refusal.reason in {
        RefusalReason.RECIPROCITY_NOT_DECLARED,
        RefusalReason.CLAUSE_NOT_RECIPROCAL,
    }
