"""Where a file resumes after a hold, one rule for every path (amicable.domain.resumption)."""

from __future__ import annotations

from datetime import date

import pytest

from amicable.domain.lifecycle import ALLOWED_TRANSITIONS, SUSPENDING_STATES, FileState
from amicable.domain.resumption import (
    ClaimStage,
    reopen_state,
    resume_state,
    state_to_remember,
)

S = FileState
TODAY = date(2025, 5, 2)
SENT_OVER = ClaimStage(first_reminder_sent=True, first_chargeable_day=date(2025, 3, 20))
SENT_RUNNING = ClaimStage(first_reminder_sent=True, first_chargeable_day=date(2025, 5, 20))
NOT_SENT = ClaimStage(first_reminder_sent=False, first_chargeable_day=None)


@pytest.mark.parametrize(
    ("hold", "before", "claims", "plan_running", "expected"),
    [
        # CEL art. XIX.7 §3: after a dispute, collection "may resume with a new notice".
        pytest.param(
            S.DISPUTED,
            S.IN_COLLECTION,
            [SENT_OVER],
            False,
            S.FORMAL_NOTICE,
            id="xix7_dispute_in_collection",
        ),
        pytest.param(
            S.DISPUTED,
            S.WAITING_PERIOD,
            [SENT_OVER],
            False,
            S.FORMAL_NOTICE,
            id="xix7_dispute_in_waiting_period",
        ),
        # Policy, the safer reading: the same for an agent's hold and a mediation.
        pytest.param(
            S.SUSPENDED,
            S.IN_COLLECTION,
            [SENT_OVER],
            False,
            S.FORMAL_NOTICE,
            id="xix7_hold_in_collection",
        ),
        pytest.param(
            S.DEBT_MEDIATION,
            S.FORMAL_NOTICE,
            [SENT_OVER],
            False,
            S.FORMAL_NOTICE,
            id="xix7_mediation_at_notice",
        ),
        # A plan that still runs continues; one that ended does not.
        pytest.param(
            S.SUSPENDED, S.PAYMENT_PLAN, [SENT_OVER], True, S.PAYMENT_PLAN, id="plan_running"
        ),
        pytest.param(
            S.DISPUTED, S.PAYMENT_PLAN, [SENT_OVER], False, S.FORMAL_NOTICE, id="plan_ended"
        ),
        # CEL art. XIX.2: before the notice, the claims say where the file stands.
        pytest.param(
            S.SUSPENDED,
            S.GRACE_PERIOD,
            [SENT_RUNNING],
            False,
            S.GRACE_PERIOD,
            id="xix2_grace_running",
        ),
        pytest.param(
            S.SUSPENDED,
            S.GRACE_PERIOD,
            [SENT_OVER],
            False,
            S.FORMAL_NOTICE,
            id="xix2_grace_over_meanwhile",
        ),
        pytest.param(
            S.DISPUTED,
            S.FIRST_REMINDER_PENDING,
            [NOT_SENT],
            False,
            S.FIRST_REMINDER_PENDING,
            id="xix2_reminder_to_send",
        ),
        pytest.param(
            S.SUSPENDED,
            None,
            [SENT_OVER, NOT_SENT],
            False,
            S.FIRST_REMINDER_PENDING,
            id="xix2_unknown_before",
        ),
        # Judicial Code art. 1675/15: a revoked settlement gives the creditor its rights back.
        pytest.param(
            S.COLLECTIVE_SETTLEMENT,
            S.WAITING_PERIOD,
            [SENT_OVER],
            False,
            S.IN_COLLECTION,
            id="j1675_15_revoked",
        ),
    ],
)
def test_a_hold_resumes_where_the_law_says(
    hold: FileState,
    before: FileState | None,
    claims: list[ClaimStage],
    plan_running: bool,
    expected: FileState,
) -> None:
    target = resume_state(
        hold=hold, before=before, claims=claims, plan_running=plan_running, today=TODAY
    )
    assert target is expected
    assert target in ALLOWED_TRANSITIONS[hold]


def test_a_file_remembers_the_working_state_it_left_and_keeps_it_across_holds() -> None:
    remembered = state_to_remember(leaving=S.IN_COLLECTION, entering=S.DISPUTED, remembered=None)
    assert remembered is S.IN_COLLECTION
    remembered = state_to_remember(
        leaving=S.DISPUTED, entering=S.COLLECTIVE_SETTLEMENT, remembered=remembered
    )
    assert remembered is S.IN_COLLECTION
    assert (
        state_to_remember(leaving=S.DISPUTED, entering=S.FORMAL_NOTICE, remembered=remembered)
        is None
    )
    assert (
        state_to_remember(leaving=S.IN_COLLECTION, entering=S.PAID, remembered=None)
        is S.IN_COLLECTION
    )


@pytest.mark.parametrize("before", [*sorted(ALLOWED_TRANSITIONS[S.PAID]), None])
def test_a_paid_file_reopens_where_the_lifecycle_allows(before: FileState | None) -> None:
    target = reopen_state(before)
    assert target in ALLOWED_TRANSITIONS[S.PAID]
    assert target is (before or S.IN_COLLECTION)


def test_every_hold_is_a_suspending_state() -> None:
    assert {S.SUSPENDED, S.DISPUTED, S.DEBT_MEDIATION, S.COLLECTIVE_SETTLEMENT} == SUSPENDING_STATES
