"""File states, what each permits, and the moves between them (CEL Book XIX)."""

from __future__ import annotations

import pytest

from amicable.domain.errors import DomainError
from amicable.domain.lifecycle import (
    ALLOWED_TRANSITIONS,
    OPEN_STATES,
    RULES,
    SUSPENDING_STATES,
    AgentAction,
    FileState,
    StateRules,
    TransitionRefused,
    actions_allowed,
    check_transition,
    is_open,
    rules_for,
)

S = FileState

ALL_STATES = frozenset(FileState)
CHARGING_STATES = {S.FORMAL_NOTICE, S.WAITING_PERIOD, S.IN_COLLECTION, S.PAYMENT_PLAN}


def test_state_values_are_the_stored_ones() -> None:
    assert {s.name: s.value for s in FileState} == {
        "NEW": "new",
        "FIRST_REMINDER_PENDING": "first_reminder_pending",
        "GRACE_PERIOD": "grace_period",
        "FORMAL_NOTICE": "formal_notice",
        "WAITING_PERIOD": "waiting_period",
        "IN_COLLECTION": "in_collection",
        "PAYMENT_PLAN": "payment_plan",
        "SUSPENDED": "suspended",
        "DISPUTED": "disputed",
        "DEBT_MEDIATION": "debt_mediation",
        "COLLECTIVE_SETTLEMENT": "collective_settlement",
        "PAID": "paid",
        "CLOSED": "closed",
    }


def test_every_state_has_rules_and_exits() -> None:
    assert set(RULES) == ALL_STATES
    assert set(ALLOWED_TRANSITIONS) == ALL_STATES
    assert all(isinstance(rules_for(s), StateRules) for s in FileState)


# Rows: (state, charging, letters, contact, accrues_interest, is_open).
RULE_TABLE = [
    pytest.param(S.NEW, False, False, False, True, True, id="new_checked_first_XIX.5"),
    pytest.param(
        S.FIRST_REMINDER_PENDING, False, True, False, True, True, id="free_reminder_XIX.2"
    ),
    pytest.param(S.GRACE_PERIOD, False, False, False, True, True, id="grace_XIX.2"),
    pytest.param(S.FORMAL_NOTICE, True, True, False, True, True, id="notice_XIX.7_par2"),
    pytest.param(S.WAITING_PERIOD, True, False, False, True, True, id="waiting_XIX.7_par3"),
    pytest.param(S.IN_COLLECTION, True, True, True, True, True, id="collection"),
    pytest.param(S.PAYMENT_PLAN, True, True, True, True, True, id="plan"),
    pytest.param(S.SUSPENDED, False, False, False, True, True, id="suspended_XIX.7_par3"),
    pytest.param(S.DISPUTED, False, False, False, True, True, id="disputed_XIX.7_par3"),
    pytest.param(S.DEBT_MEDIATION, False, False, False, True, True, id="mediation_XIX_title3"),
    pytest.param(
        S.COLLECTIVE_SETTLEMENT, False, False, False, False, True, id="settlement_JC_1675_7"
    ),
    pytest.param(S.PAID, False, False, False, False, False, id="paid"),
    pytest.param(S.CLOSED, False, False, False, False, False, id="closed"),
]


@pytest.mark.parametrize(
    ("state", "charging", "letters", "contact", "accrues_interest", "open_"), RULE_TABLE
)
def test_state_rules(
    state: FileState,
    charging: bool,
    letters: bool,
    contact: bool,
    accrues_interest: bool,
    open_: bool,
) -> None:
    rules = rules_for(state)
    assert (
        rules.charging,
        rules.letters,
        rules.contact,
        rules.accrues_interest,
        rules.is_open,
    ) == (
        charging,
        letters,
        contact,
        accrues_interest,
        open_,
    )
    assert rules.description


def test_charging_only_from_the_formal_notice_on_and_never_while_suspended() -> None:
    # CEL art. XIX.2 (nothing before the first reminder's period ends) and XIX.7 §3 (suspension).
    assert {s for s in FileState if rules_for(s).charging} == CHARGING_STATES


def test_rules_for_accepts_the_stored_string() -> None:
    assert rules_for("disputed") is RULES[S.DISPUTED]  # type: ignore[arg-type]


def test_open_and_suspending_states() -> None:
    assert {S.PAID, S.CLOSED} == ALL_STATES - OPEN_STATES
    assert {S.SUSPENDED, S.DISPUTED, S.DEBT_MEDIATION, S.COLLECTIVE_SETTLEMENT} == SUSPENDING_STATES
    assert [s for s in FileState if not is_open(s)] == [S.PAID, S.CLOSED]


# The moves the law allows, each with the article.
ALLOWED = [
    pytest.param(S.NEW, S.FIRST_REMINDER_PENDING, id="no_reminder_known_XIX.2"),
    pytest.param(S.NEW, S.GRACE_PERIOD, id="reminder_sent_period_runs_XIX.2"),
    pytest.param(S.NEW, S.FORMAL_NOTICE, id="chargeable_on_receipt_XIX.7_par1"),
    pytest.param(S.FIRST_REMINDER_PENDING, S.GRACE_PERIOD, id="reminder_sent_XIX.2"),
    pytest.param(S.GRACE_PERIOD, S.FORMAL_NOTICE, id="period_over_XIX.2"),
    pytest.param(S.FORMAL_NOTICE, S.WAITING_PERIOD, id="notice_sent_XIX.7_par3"),
    pytest.param(S.FORMAL_NOTICE, S.PAYMENT_PLAN, id="plan_before_notice_XIX.7_par3"),
    pytest.param(S.WAITING_PERIOD, S.IN_COLLECTION, id="waiting_over_XIX.7_par3"),
    pytest.param(S.WAITING_PERIOD, S.PAYMENT_PLAN, id="stop_button_plan_XIX.7_par3"),
    pytest.param(S.WAITING_PERIOD, S.FORMAL_NOTICE, id="notice_returned_new_notice"),
    pytest.param(S.WAITING_PERIOD, S.DISPUTED, id="stop_button_dispute_XIX.7_par3"),
    pytest.param(S.WAITING_PERIOD, S.DEBT_MEDIATION, id="stop_button_mediation_XIX.7_par3"),
    pytest.param(S.IN_COLLECTION, S.PAYMENT_PLAN, id="plan_agreed"),
    pytest.param(S.PAYMENT_PLAN, S.IN_COLLECTION, id="plan_broken"),
    pytest.param(S.PAYMENT_PLAN, S.FORMAL_NOTICE, id="plan_broken_new_notice"),
    pytest.param(S.NEW, S.DISPUTED, id="dispute_any_time_XIX.7_par3"),
    pytest.param(S.GRACE_PERIOD, S.SUSPENDED, id="documents_requested_XIX.7_par3"),
    pytest.param(S.IN_COLLECTION, S.COLLECTIVE_SETTLEMENT, id="admissibility_JC_1675_7"),
    pytest.param(S.DISPUTED, S.FORMAL_NOTICE, id="dispute_checked_new_notice_XIX.7_par3"),
    pytest.param(S.DISPUTED, S.PAYMENT_PLAN, id="dispute_settled_by_plan"),
    pytest.param(S.DISPUTED, S.GRACE_PERIOD, id="early_dispute_back_to_grace_XIX.2"),
    pytest.param(S.DISPUTED, S.CLOSED, id="dispute_upheld_closed"),
    pytest.param(S.DISPUTED, S.DEBT_MEDIATION, id="disputed_then_mediation"),
    pytest.param(S.SUSPENDED, S.IN_COLLECTION, id="hold_lifted"),
    pytest.param(S.SUSPENDED, S.DISPUTED, id="documents_given_then_disputed"),
    pytest.param(S.DEBT_MEDIATION, S.PAYMENT_PLAN, id="mediation_plan_XIX_title3"),
    pytest.param(S.DEBT_MEDIATION, S.IN_COLLECTION, id="mediation_failed_XIX_title3"),
    pytest.param(S.DEBT_MEDIATION, S.COLLECTIVE_SETTLEMENT, id="mediation_to_court_JC_1675_2"),
    pytest.param(S.COLLECTIVE_SETTLEMENT, S.PAID, id="settlement_paid_JC_1675"),
    pytest.param(S.COLLECTIVE_SETTLEMENT, S.CLOSED, id="settlement_discharge_JC_1675"),
    pytest.param(S.COLLECTIVE_SETTLEMENT, S.IN_COLLECTION, id="settlement_revoked_JC_1675_15"),
    pytest.param(S.PAID, S.IN_COLLECTION, id="payment_returned_by_bank"),
    pytest.param(S.PAID, S.PAYMENT_PLAN, id="instalment_returned_by_bank"),
]


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_allowed_transition(old: FileState, new: FileState) -> None:
    check_transition(old, new)  # no TransitionRefused
    assert new in ALLOWED_TRANSITIONS[old]


REFUSED = [
    pytest.param(
        S.NEW, S.IN_COLLECTION, "formal notice", id="collection_without_notice_XIX.7_par1"
    ),
    pytest.param(
        S.GRACE_PERIOD, S.IN_COLLECTION, "XIX.2 and XIX.7 §1", id="collection_during_grace_XIX.2"
    ),
    pytest.param(
        S.GRACE_PERIOD, S.PAYMENT_PLAN, "nothing may be charged", id="charged_plan_in_grace_XIX.2"
    ),
    pytest.param(
        S.FIRST_REMINDER_PENDING, S.FORMAL_NOTICE, "CEL Book XIX", id="notice_without_reminder"
    ),
    pytest.param(S.FORMAL_NOTICE, S.IN_COLLECTION, "no further step", id="skip_waiting_XIX.7_par3"),
    pytest.param(
        S.DISPUTED, S.IN_COLLECTION, "new notice", id="resume_dispute_without_notice_XIX.7_par3"
    ),
    pytest.param(
        S.COLLECTIVE_SETTLEMENT, S.DISPUTED, "1675/7", id="settlement_is_frozen_JC_1675_7"
    ),
    pytest.param(
        S.COLLECTIVE_SETTLEMENT, S.FORMAL_NOTICE, "1675/7", id="no_notice_in_settlement_JC_1675_7"
    ),
    pytest.param(S.CLOSED, S.IN_COLLECTION, "closed file is final", id="closed_is_final"),
    pytest.param(S.CLOSED, S.PAID, "closed file is final", id="closed_is_final_paid"),
    pytest.param(S.PAID, S.CLOSED, "returned by the bank", id="paid_is_final"),
    pytest.param(S.PAID, S.DISPUTED, "returned by the bank", id="paid_not_disputed"),
    pytest.param(S.DISPUTED, S.DISPUTED, "already in that state", id="same_state"),
    pytest.param(S.CLOSED, S.CLOSED, "already in that state", id="same_final_state"),
]


@pytest.mark.parametrize(("old", "new", "why"), REFUSED)
def test_refused_transition_names_the_reason(old: FileState, new: FileState, why: str) -> None:
    with pytest.raises(TransitionRefused) as refused:
        check_transition(old, new)
    assert refused.value.old is old
    assert refused.value.new is new
    assert why in str(refused.value)
    assert str(refused.value).startswith(f"A file in state '{old}' cannot move to '{new}' (")
    assert isinstance(refused.value, DomainError)


def test_refusal_lists_the_allowed_next_states() -> None:
    with pytest.raises(TransitionRefused) as refused:
        check_transition(S.FORMAL_NOTICE, S.IN_COLLECTION)
    assert str(refused.value).endswith(
        "Allowed next states: closed, collective_settlement, debt_mediation, disputed, paid, "
        "payment_plan, suspended, waiting_period."
    )


@pytest.mark.parametrize("state", sorted(OPEN_STATES - {S.COLLECTIVE_SETTLEMENT}))
def test_any_open_file_may_be_stopped_paid_or_closed(state: FileState) -> None:
    # A reasoned dispute, a request for documents, debt mediation (CEL art. XIX.7 §3), a
    # collective settlement (Judicial Code art. 1675/7), a payment or a withdrawal: at any stage.
    targets = {S.DISPUTED, S.SUSPENDED, S.DEBT_MEDIATION, S.COLLECTIVE_SETTLEMENT, S.PAID, S.CLOSED}
    assert targets - {state} <= ALLOWED_TRANSITIONS[state]


def test_collective_settlement_ends_only_paid_closed_or_revoked() -> None:
    # Judicial Code art. 1675/7 and 1675/15.
    assert ALLOWED_TRANSITIONS[S.COLLECTIVE_SETTLEMENT] == {S.PAID, S.CLOSED, S.IN_COLLECTION}


def test_closed_is_final_and_paid_reopens_only_into_the_pipeline() -> None:
    assert ALLOWED_TRANSITIONS[S.CLOSED] == frozenset()
    assert ALLOWED_TRANSITIONS[S.PAID] == {
        S.FIRST_REMINDER_PENDING,
        S.GRACE_PERIOD,
        S.FORMAL_NOTICE,
        S.WAITING_PERIOD,
        S.IN_COLLECTION,
        S.PAYMENT_PLAN,
    }


def test_no_state_moves_to_itself() -> None:
    assert all(s not in ALLOWED_TRANSITIONS[s] for s in FileState)


def test_every_charging_state_is_reached_only_through_the_formal_notice() -> None:
    # CEL art. XIX.7 §1: from the pre-notice stage (new, reminder, grace) no move leads straight
    # to a chargeable state other than FORMAL_NOTICE.
    pre_notice = {S.NEW, S.FIRST_REMINDER_PENDING, S.GRACE_PERIOD}
    for state in pre_notice:
        assert ALLOWED_TRANSITIONS[state] & CHARGING_STATES <= {S.FORMAL_NOTICE}


def test_check_transition_accepts_the_stored_strings() -> None:
    check_transition("waiting_period", "in_collection")  # type: ignore[arg-type]
    with pytest.raises(TransitionRefused):
        check_transition("closed", "new")  # type: ignore[arg-type]


A = AgentAction


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        pytest.param(
            S.NEW,
            {
                A.ADD_NOTE,
                A.REVIEW_PROOF,
                A.REGISTER_DISPUTE,
                A.SUSPEND,
                A.RECORD_DEBT_MEDIATION,
                A.RECORD_COLLECTIVE_SETTLEMENT,
                A.WITHDRAW,
            },
            id="new_checked_first_XIX.5",
        ),
        pytest.param(
            S.FIRST_REMINDER_PENDING,
            {
                A.ADD_NOTE,
                A.REVIEW_PROOF,
                A.SEND_LETTER,
                A.REGISTER_DISPUTE,
                A.SUSPEND,
                A.RECORD_DEBT_MEDIATION,
                A.RECORD_COLLECTIVE_SETTLEMENT,
                A.WITHDRAW,
            },
            id="send_free_reminder_XIX.2",
        ),
        pytest.param(
            S.WAITING_PERIOD,
            {
                A.ADD_NOTE,
                A.REVIEW_PROOF,
                A.AGREE_PAYMENT_PLAN,
                A.REGISTER_DISPUTE,
                A.SUSPEND,
                A.RECORD_DEBT_MEDIATION,
                A.RECORD_COLLECTIVE_SETTLEMENT,
                A.WITHDRAW,
            },
            id="stop_button_only_XIX.7_par3",
        ),
        pytest.param(
            S.IN_COLLECTION,
            {
                A.ADD_NOTE,
                A.REVIEW_PROOF,
                A.SEND_LETTER,
                A.LOG_CALL,
                A.AGREE_PAYMENT_PLAN,
                A.REGISTER_DISPUTE,
                A.SUSPEND,
                A.RECORD_DEBT_MEDIATION,
                A.RECORD_COLLECTIVE_SETTLEMENT,
                A.WITHDRAW,
            },
            id="collection",
        ),
        pytest.param(
            S.PAYMENT_PLAN,
            {
                A.ADD_NOTE,
                A.REVIEW_PROOF,
                A.SEND_LETTER,
                A.LOG_CALL,
                A.AGREE_PAYMENT_PLAN,
                A.REGISTER_DISPUTE,
                A.SUSPEND,
                A.RECORD_DEBT_MEDIATION,
                A.RECORD_COLLECTIVE_SETTLEMENT,
                A.WITHDRAW,
            },
            id="plan_renegotiated",
        ),
        pytest.param(
            S.DISPUTED,
            {
                A.ADD_NOTE,
                A.REVIEW_PROOF,
                A.AGREE_PAYMENT_PLAN,
                A.RESOLVE_DISPUTE,
                A.SUSPEND,
                A.RECORD_DEBT_MEDIATION,
                A.RECORD_COLLECTIVE_SETTLEMENT,
                A.WITHDRAW,
            },
            id="disputed_no_calls_XIX.7_par3",
        ),
        pytest.param(
            S.SUSPENDED,
            {
                A.ADD_NOTE,
                A.REVIEW_PROOF,
                A.AGREE_PAYMENT_PLAN,
                A.REGISTER_DISPUTE,
                A.RECORD_DEBT_MEDIATION,
                A.RECORD_COLLECTIVE_SETTLEMENT,
                A.RESUME,
                A.WITHDRAW,
            },
            id="suspended_XIX.7_par3",
        ),
        pytest.param(
            S.COLLECTIVE_SETTLEMENT,
            {A.ADD_NOTE, A.REVIEW_PROOF, A.RESUME, A.WITHDRAW, A.DECLARE_CLAIM},
            id="settlement_frozen_JC_1675_7",
        ),
        pytest.param(S.PAID, {A.ADD_NOTE, A.REVIEW_PROOF}, id="paid"),
        pytest.param(S.CLOSED, {A.ADD_NOTE, A.REVIEW_PROOF}, id="closed"),
    ],
)
def test_actions_allowed(state: FileState, expected: set[AgentAction]) -> None:
    assert actions_allowed(state) == expected


@pytest.mark.parametrize("state", list(FileState))
def test_calls_and_letters_follow_the_state_rules(state: FileState) -> None:
    # Former law of 20 December 2002, art. 3 and CEL art. XIX.7 §3: no contact while suspended.
    actions = actions_allowed(state)
    assert {A.ADD_NOTE, A.REVIEW_PROOF} <= actions
    assert (A.LOG_CALL in actions) is rules_for(state).contact
    assert (A.SEND_LETTER in actions) is rules_for(state).letters
    assert (A.RESOLVE_DISPUTE in actions) is (state is S.DISPUTED)
