"""Contact rules: third parties, suspensions, hours, holidays, frequency (docs/legal.md, section 4).

Articles: former law of 20 December 2002 art. 3 §2 (no third parties, no calls or visits
between 22:00 and 08:00, no harassing a consumer who disputed), now unfair practices under
CEL Book VI (art. VI.93 ff., aggressive practices art. VI.101); CEL art. XIX.2, XIX.7 §1 and §3
(steps in order, suspensions); CEL Book XIX Title 3 (debt mediation); Judicial Code art. 1675/7
(collective settlement); the stricter contact policy of docs/legal.md, section 4.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amicable.domain.contact import (
    BRUSSELS,
    DEFAULT_CONTACT_POLICY,
    ContactChannel,
    ContactDecision,
    ContactPolicy,
    ContactPurpose,
    ContactRefusal,
    PastContact,
    Recipient,
    check_contact,
)
from amicable.domain.lifecycle import FileState

CH = ContactChannel
S = FileState
P = ContactPurpose
R = Recipient


def bxl(day: str, hh_mm: str = "10:00") -> datetime:
    """A Brussels wall-clock time, e.g. bxl("2025-03-04", "19:59")."""
    return datetime.fromisoformat(f"{day}T{hh_mm}").replace(tzinfo=BRUSSELS)


def utc(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)


TUESDAY = "2025-03-04"  # an ordinary working day


def check(
    channel: ContactChannel = CH.PHONE,
    at: datetime | None = None,
    state: FileState = S.IN_COLLECTION,
    **kwargs: object,
) -> ContactDecision:
    return check_contact(
        channel=channel,
        at=at if at is not None else bxl(TUESDAY),
        state=state,
        **kwargs,  # type: ignore[arg-type]
    )


def assert_allowed(decision: ContactDecision) -> None:
    assert decision == ContactDecision(
        allowed=True, reason=None, message="Contact allowed.", article="", next_allowed_at=None
    )


def test_refusal_codes_are_stable() -> None:
    assert [r.value for r in ContactRefusal] == [
        "third_party",
        "file_suspended",
        "file_disputed",
        "debt_mediation",
        "collective_settlement",
        "file_closed",
        "collection_not_started",
        "waiting_period",
        "outside_hours",
        "sunday",
        "legal_holiday",
        "too_many_calls_today",
        "too_many_calls_this_week",
        "too_many_contacts_this_week",
    ]


# Recipients and states ---------------------------------------------------------------------

STATE_CASES = [
    # (channel, state, recipient, purpose, expected reason or None, article fragment)
    pytest.param(
        CH.PHONE,
        S.IN_COLLECTION,
        R.THIRD_PARTY,
        P.COLLECTION,
        "third_party",
        "art. 3 §2",
        id="third_party_never_2002_art3",
    ),
    pytest.param(
        CH.LETTER,
        S.DEBT_MEDIATION,
        R.THIRD_PARTY,
        P.REQUESTED_BY_DEBTOR,
        "third_party",
        "art. 3 §2",
        id="third_party_never_even_a_letter_2002_art3",
    ),
    pytest.param(
        CH.EMAIL,
        S.IN_COLLECTION,
        R.MEDIATOR,
        P.COLLECTION,
        "third_party",
        "art. 3 §2",
        id="mediator_outside_mediation_is_a_third_party_2002_art3",
    ),
    pytest.param(
        CH.EMAIL,
        S.DEBT_MEDIATION,
        R.MEDIATOR,
        P.COLLECTION,
        None,
        "",
        id="mediator_during_mediation_XIX_title3",
    ),
    pytest.param(
        CH.LETTER,
        S.COLLECTIVE_SETTLEMENT,
        R.MEDIATOR,
        P.MEDIATOR_DECLARATION,
        None,
        "",
        id="claim_declaration_to_mediator_JC_1675_9",
    ),
    pytest.param(
        CH.EMAIL,
        S.IN_COLLECTION,
        R.MEDIATOR,
        P.REQUESTED_BY_DEBTOR,
        None,
        "",
        id="mediator_gets_what_debtor_asked_for",
    ),
    pytest.param(
        CH.EMAIL,
        S.DISPUTED,
        R.MEDIATOR,
        P.DISPUTE_RESOLUTION,
        None,
        "",
        id="mediator_helps_settle_dispute_XIX.7_par3",
    ),
    pytest.param(
        CH.PHONE,
        S.COLLECTIVE_SETTLEMENT,
        R.DEBTOR,
        P.COLLECTION,
        "collective_settlement",
        "1675/7",
        id="settlement_no_debtor_contact_JC_1675_7",
    ),
    pytest.param(
        CH.LETTER,
        S.COLLECTIVE_SETTLEMENT,
        R.DEBTOR,
        P.REQUESTED_BY_DEBTOR,
        "collective_settlement",
        "1675/7",
        id="settlement_only_via_mediator_JC_1675_7",
    ),
    pytest.param(
        CH.PHONE,
        S.DISPUTED,
        R.DEBTOR,
        P.COLLECTION,
        "file_disputed",
        "XIX.7 §3",
        id="disputed_no_collection_XIX.7_par3",
    ),
    pytest.param(
        CH.LETTER,
        S.DISPUTED,
        R.DEBTOR,
        P.COLLECTION,
        "file_disputed",
        "XIX.7 §3",
        id="disputed_no_collection_letter_XIX.7_par3",
    ),
    pytest.param(
        CH.EMAIL,
        S.DISPUTED,
        R.DEBTOR,
        P.DISPUTE_ACKNOWLEDGEMENT,
        None,
        "",
        id="dispute_acknowledged_XIX.7_par3",
    ),
    pytest.param(
        CH.PHONE,
        S.DISPUTED,
        R.DEBTOR,
        P.DISPUTE_RESOLUTION,
        None,
        "",
        id="dispute_settled_by_phone_2002_art3",
    ),
    pytest.param(
        CH.SMS,
        S.SUSPENDED,
        R.DEBTOR,
        P.COLLECTION,
        "file_suspended",
        "XIX.7 §3",
        id="suspended_no_collection_XIX.7_par3",
    ),
    pytest.param(
        CH.LETTER,
        S.SUSPENDED,
        R.DEBTOR,
        P.REQUESTED_BY_DEBTOR,
        None,
        "",
        id="documents_sent_without_delay_XIX.7_par3",
    ),
    pytest.param(
        CH.EMAIL,
        S.DEBT_MEDIATION,
        R.DEBTOR,
        P.COLLECTION,
        "debt_mediation",
        "Title 3",
        id="mediation_suspends_XIX_title3",
    ),
    pytest.param(
        CH.LETTER,
        S.DEBT_MEDIATION,
        R.DEBTOR,
        P.MEDIATOR_DECLARATION,
        "debt_mediation",
        "Title 3",
        id="declaration_goes_to_mediator_not_debtor_XIX_title3",
    ),
    pytest.param(
        CH.PHONE,
        S.PAID,
        R.DEBTOR,
        P.COLLECTION,
        "file_closed",
        "1234",
        id="paid_nothing_to_collect_CC_1234",
    ),
    pytest.param(
        CH.LETTER,
        S.CLOSED,
        R.DEBTOR,
        P.COLLECTION,
        "file_closed",
        "1234",
        id="closed_nothing_to_collect",
    ),
    pytest.param(
        CH.EMAIL,
        S.PAID,
        R.DEBTOR,
        P.REQUESTED_BY_DEBTOR,
        None,
        "",
        id="paid_statement_on_request",
    ),
    pytest.param(
        CH.PHONE,
        S.NEW,
        R.DEBTOR,
        P.COLLECTION,
        "collection_not_started",
        "XIX.7 §1",
        id="new_no_contact_XIX.7_par1",
    ),
    pytest.param(
        CH.LETTER,
        S.FIRST_REMINDER_PENDING,
        R.DEBTOR,
        P.COLLECTION,
        None,
        "",
        id="free_first_reminder_letter_XIX.2",
    ),
    pytest.param(
        CH.EMAIL,
        S.FIRST_REMINDER_PENDING,
        R.DEBTOR,
        P.COLLECTION,
        None,
        "",
        id="free_first_reminder_email_XIX.2",
    ),
    pytest.param(
        CH.PHONE,
        S.FIRST_REMINDER_PENDING,
        R.DEBTOR,
        P.COLLECTION,
        "collection_not_started",
        "XIX.2",
        id="no_call_before_the_notice_XIX.7_par1",
    ),
    pytest.param(
        CH.LETTER,
        S.GRACE_PERIOD,
        R.DEBTOR,
        P.COLLECTION,
        "collection_not_started",
        "XIX.2",
        id="nothing_during_grace_XIX.2",
    ),
    pytest.param(
        CH.LETTER,
        S.FORMAL_NOTICE,
        R.DEBTOR,
        P.COLLECTION,
        None,
        "",
        id="formal_notice_sent_XIX.7_par2",
    ),
    pytest.param(
        CH.HOME_VISIT,
        S.FORMAL_NOTICE,
        R.DEBTOR,
        P.COLLECTION,
        "collection_not_started",
        "XIX.7 §1",
        id="no_visit_before_the_notice_XIX.7_par1",
    ),
    pytest.param(
        CH.PHONE,
        S.WAITING_PERIOD,
        R.DEBTOR,
        P.COLLECTION,
        "waiting_period",
        "XIX.7 §3",
        id="no_step_while_waiting_XIX.7_par3",
    ),
    pytest.param(
        CH.LETTER,
        S.WAITING_PERIOD,
        R.DEBTOR,
        P.COLLECTION,
        "waiting_period",
        "XIX.7 §3",
        id="no_letter_while_waiting_XIX.7_par3",
    ),
    pytest.param(
        CH.EMAIL,
        S.WAITING_PERIOD,
        R.DEBTOR,
        P.REQUESTED_BY_DEBTOR,
        None,
        "",
        id="stop_button_answered_XIX.7_par3",
    ),
    pytest.param(CH.PHONE, S.IN_COLLECTION, R.DEBTOR, P.COLLECTION, None, "", id="collection_call"),
    pytest.param(CH.HOME_VISIT, S.PAYMENT_PLAN, R.DEBTOR, P.COLLECTION, None, "", id="plan_visit"),
]


@pytest.mark.parametrize(
    ("channel", "state", "recipient", "purpose", "reason", "article"), STATE_CASES
)
def test_recipient_state_and_purpose(
    channel: ContactChannel,
    state: FileState,
    recipient: Recipient,
    purpose: ContactPurpose,
    reason: str | None,
    article: str,
) -> None:
    decision = check(channel, bxl(TUESDAY), state, recipient=recipient, purpose=purpose)
    if reason is None:
        assert_allowed(decision)
    else:
        assert decision.allowed is False
        assert decision.reason == reason
        assert article in decision.article
        assert decision.message
        assert decision.next_allowed_at is None  # not a time rule: waiting does not help


def test_state_is_checked_before_the_clock() -> None:
    # A disputed file on a Sunday night: the dispute is the reason (CEL art. XIX.7 §3).
    decision = check(CH.PHONE, bxl("2025-03-09", "23:00"), S.DISPUTED)
    assert (decision.reason, decision.next_allowed_at) == ("file_disputed", None)


# Hours, Sundays, holidays -------------------------------------------------------------------

HOUR_CASES = [
    # (channel, at, policy, expected reason or None, next_allowed_at or None)
    pytest.param(CH.PHONE, bxl(TUESDAY, "08:00"), None, None, None, id="08:00_allowed"),
    pytest.param(
        CH.PHONE,
        bxl(TUESDAY, "07:59"),
        None,
        "outside_hours",
        bxl(TUESDAY, "08:00"),
        id="07:59_refused_2002_art3",
    ),
    pytest.param(CH.PHONE, bxl(TUESDAY, "19:59"), None, None, None, id="19:59_allowed"),
    pytest.param(
        CH.PHONE,
        bxl(TUESDAY, "20:00"),
        None,
        "outside_hours",
        bxl("2025-03-05", "08:00"),
        id="20:00_refused_policy",
    ),
    pytest.param(CH.EMAIL, bxl(TUESDAY, "19:59:59"), None, None, None, id="19:59:59_email_allowed"),
    pytest.param(
        CH.SMS,
        bxl(TUESDAY, "23:30"),
        None,
        "outside_hours",
        bxl("2025-03-05", "08:00"),
        id="sms_at_night_2002_art3",
    ),
    pytest.param(
        CH.HOME_VISIT,
        bxl(TUESDAY, "06:00"),
        None,
        "outside_hours",
        bxl(TUESDAY, "08:00"),
        id="visit_at_dawn_2002_art3",
    ),
    pytest.param(
        CH.PHONE,
        bxl(TUESDAY, "21:59"),
        ContactPolicy(latest=time(22)),
        None,
        None,
        id="21:59_allowed_up_to_the_legal_limit",
    ),
    pytest.param(
        CH.PHONE,
        bxl(TUESDAY, "22:00"),
        ContactPolicy(latest=time(22)),
        "outside_hours",
        bxl("2025-03-05", "08:00"),
        id="22:00_refused_legal_limit_2002_art3",
    ),
    pytest.param(
        CH.PHONE,
        bxl(TUESDAY, "08:59"),
        ContactPolicy(earliest=time(9)),
        "outside_hours",
        bxl(TUESDAY, "09:00"),
        id="stricter_policy_09:00",
    ),
    pytest.param(CH.PHONE, bxl("2025-03-08", "10:00"), None, None, None, id="saturday_allowed"),
    pytest.param(
        CH.PHONE,
        bxl("2025-03-09", "10:00"),
        None,
        "sunday",
        bxl("2025-03-10", "08:00"),
        id="sunday_refused_policy",
    ),
    pytest.param(
        CH.EMAIL,
        bxl("2025-03-09", "10:00"),
        None,
        "sunday",
        bxl("2025-03-10", "08:00"),
        id="sunday_email_refused_policy",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-03-09", "10:00"),
        ContactPolicy(sundays=True),
        None,
        None,
        id="sunday_allowed_by_a_policy",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-03-08", "20:30"),
        None,
        "outside_hours",
        bxl("2025-03-10", "08:00"),
        id="saturday_evening_to_monday_08:00",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-04-19", "20:30"),
        None,
        "outside_hours",
        bxl("2025-04-22", "08:00"),
        id="saturday_evening_skips_easter_monday_to_tuesday",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-04-21", "10:00"),
        None,
        "legal_holiday",
        bxl("2025-04-22", "08:00"),
        id="easter_monday_refused_policy",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-04-21", "10:00"),
        ContactPolicy(holidays=True),
        None,
        None,
        id="holiday_allowed_by_a_policy",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-11-01", "10:00"),
        None,
        "legal_holiday",
        bxl("2025-11-03", "08:00"),
        id="all_saints_on_a_saturday_refused",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-07-19", "20:00"),
        None,
        "outside_hours",
        bxl("2025-07-22", "08:00"),
        id="saturday_sunday_then_national_day",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-04-18", "10:00"),
        None,
        None,
        None,
        id="good_friday_is_not_a_legal_holiday",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-12-26", "10:00"),
        None,
        None,
        None,
        id="26_december_is_not_a_legal_holiday",
    ),
    pytest.param(
        CH.LETTER, bxl("2025-03-09", "23:00"), None, None, None, id="letters_have_no_hours"
    ),
    pytest.param(
        CH.LETTER, bxl("2025-12-25", "03:00"), None, None, None, id="letters_posted_any_day"
    ),
]


@pytest.mark.parametrize(("channel", "at", "policy", "reason", "next_at"), HOUR_CASES)
def test_hours_sundays_and_holidays(
    channel: ContactChannel,
    at: datetime,
    policy: ContactPolicy | None,
    reason: str | None,
    next_at: datetime | None,
) -> None:
    decision = check(channel, at, policy=policy or DEFAULT_CONTACT_POLICY)
    if reason is None:
        assert_allowed(decision)
        return
    assert (decision.allowed, decision.reason) == (False, reason)
    assert decision.next_allowed_at == next_at
    assert decision.next_allowed_at is not None
    assert decision.next_allowed_at.tzinfo is BRUSSELS
    assert "art. 3 §2" in decision.article


def test_the_time_window_applies_to_the_mediator_too() -> None:
    decision = check(CH.PHONE, bxl(TUESDAY, "21:00"), S.DEBT_MEDIATION, recipient=R.MEDIATOR)
    assert (decision.reason, decision.next_allowed_at) == (
        "outside_hours",
        bxl("2025-03-05", "08:00"),
    )


def test_the_time_window_applies_to_a_dispute_acknowledgement() -> None:
    decision = check(CH.EMAIL, bxl(TUESDAY, "21:00"), S.DISPUTED, purpose=P.DISPUTE_ACKNOWLEDGEMENT)
    assert (decision.reason, decision.next_allowed_at) == (
        "outside_hours",
        bxl("2025-03-05", "08:00"),
    )


# Summer time: the clocks go forward on Sunday 30 March 2025 and back on Sunday 26 October 2025.

DST_CASES = [
    pytest.param(utc("2025-03-29T07:00"), None, None, id="march_saturday_08:00_cet"),
    pytest.param(
        utc("2025-03-29T06:59"),
        "outside_hours",
        utc("2025-03-29T07:00"),
        id="march_saturday_07:59_cet",
    ),
    pytest.param(
        utc("2025-03-29T19:30"),
        "outside_hours",
        utc("2025-03-31T06:00"),
        id="march_saturday_20:30_cet_to_monday_08:00_cest",
    ),
    pytest.param(utc("2025-03-31T06:00"), None, None, id="march_monday_08:00_cest"),
    pytest.param(
        utc("2025-03-31T05:59"),
        "outside_hours",
        utc("2025-03-31T06:00"),
        id="march_monday_07:59_cest",
    ),
    pytest.param(utc("2025-03-31T17:59"), None, None, id="march_monday_19:59_cest"),
    pytest.param(
        utc("2025-03-31T18:00"),
        "outside_hours",
        utc("2025-04-01T06:00"),
        id="march_monday_20:00_cest",
    ),
    pytest.param(
        utc("2025-10-25T18:30"),
        "outside_hours",
        utc("2025-10-27T07:00"),
        id="october_saturday_20:30_cest_to_monday_08:00_cet",
    ),
    pytest.param(
        utc("2025-10-27T06:30"),
        "outside_hours",
        utc("2025-10-27T07:00"),
        id="october_monday_07:30_cet",
    ),
    pytest.param(utc("2025-10-27T07:00"), None, None, id="october_monday_08:00_cet"),
    pytest.param(utc("2025-10-27T18:59"), None, None, id="october_monday_19:59_cet"),
    pytest.param(
        utc("2025-10-26T10:00"), "sunday", utc("2025-10-27T07:00"), id="october_change_sunday"
    ),
]


@pytest.mark.parametrize(("at", "reason", "next_at"), DST_CASES)
def test_summer_time_changes(at: datetime, reason: str | None, next_at: datetime | None) -> None:
    decision = check(CH.PHONE, at)
    if reason is None:
        assert_allowed(decision)
        return
    assert decision.reason == reason
    assert decision.next_allowed_at == next_at
    assert decision.next_allowed_at is not None
    assert decision.next_allowed_at.time() == time(8)  # Brussels wall clock


def test_next_allowed_at_carries_the_right_offset() -> None:
    decision = check(CH.PHONE, utc("2025-10-25T18:30"))
    assert decision.next_allowed_at is not None
    assert decision.next_allowed_at.isoformat() == "2025-10-27T08:00:00+01:00"


def test_any_zone_is_read_in_belgian_time() -> None:
    new_york = timezone(timedelta(hours=-5))
    # 14:30 in New York is 20:30 in Brussels on 4 March 2025.
    decision = check(CH.PHONE, datetime(2025, 3, 4, 14, 30, tzinfo=new_york))
    assert decision.reason == "outside_hours"


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        check(CH.PHONE, datetime(2025, 3, 4, 10, 0))


def test_a_naive_recent_contact_is_refused() -> None:
    naive = PastContact(CH.PHONE, datetime(2025, 3, 3, 10, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        check(CH.PHONE, bxl(TUESDAY), recent=[naive])


# Policy limits --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"latest": time(22, 30)}, "after 22:00", id="latest_22:30_2002_art3"),
        pytest.param({"latest": time(22, 0, 1)}, "after 22:00", id="latest_22:00:01_2002_art3"),
        pytest.param({"earliest": time(7, 30)}, "before 08:00", id="earliest_07:30_2002_art3"),
        pytest.param(
            {"earliest": time(20), "latest": time(20)}, "must come before", id="empty_window"
        ),
        pytest.param({"latest": time(20, tzinfo=UTC)}, "local times", id="zoned_time"),
        pytest.param({"max_phone_per_day": -1}, "max_phone_per_day", id="negative_limit"),
        pytest.param({"max_contacts_per_week": True}, "max_contacts_per_week", id="bool_limit"),
    ],
)
def test_policy_never_goes_beyond_the_law(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ContactPolicy(**kwargs)  # type: ignore[arg-type]


def test_default_policy_is_the_legal_md_policy() -> None:
    assert (
        ContactPolicy(
            earliest=time(8),
            latest=time(20),
            sundays=False,
            holidays=False,
            max_phone_per_day=1,
            max_phone_per_week=3,
            max_contacts_per_week=5,
        )
        == DEFAULT_CONTACT_POLICY
    )
    assert ContactPolicy(earliest=time(8), latest=time(22)).latest == time(22)


# Frequency ----------------------------------------------------------------------------------


def calls(*moments: datetime, channel: ContactChannel = CH.PHONE) -> list[PastContact]:
    return [PastContact(channel=channel, at=m) for m in moments]


FREQUENCY_CASES = [
    # (channel, at, recent, expected reason or None, next_allowed_at)
    pytest.param(
        CH.PHONE,
        bxl(TUESDAY, "15:00"),
        calls(bxl(TUESDAY, "09:00")),
        "too_many_calls_today",
        bxl("2025-03-05", "08:00"),
        id="second_call_today",
    ),
    pytest.param(
        CH.PHONE,
        bxl(TUESDAY, "08:00"),
        calls(bxl("2025-03-03", "19:59")),
        None,
        None,
        id="yesterday_call_does_not_count_today",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-03-05", "10:00"),
        calls(utc("2025-03-04T23:30")),
        "too_many_calls_today",
        bxl("2025-03-06", "08:00"),
        id="calendar_day_is_the_belgian_day",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-03-08", "11:00"),
        calls(bxl("2025-03-08", "10:00")),
        "too_many_calls_today",
        bxl("2025-03-10", "08:00"),
        id="second_call_on_saturday_waits_for_monday",
    ),
    pytest.param(
        CH.SMS,
        bxl(TUESDAY, "15:00"),
        calls(bxl(TUESDAY, "09:00")),
        None,
        None,
        id="an_sms_is_not_a_call",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-03-10", "09:00"),
        calls(bxl("2025-03-03", "10:00"), bxl("2025-03-05", "10:00"), bxl("2025-03-07", "10:00")),
        "too_many_calls_this_week",
        bxl("2025-03-10", "10:00"),
        id="fourth_call_in_7_days",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-03-10", "10:00"),
        calls(bxl("2025-03-03", "10:00"), bxl("2025-03-05", "10:00"), bxl("2025-03-07", "10:00")),
        None,
        None,
        id="a_call_leaves_the_window_after_exactly_7_days",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-03-07", "10:00"),
        calls(bxl("2025-03-01", "21:00"), bxl("2025-03-03", "10:00"), bxl("2025-03-04", "10:00")),
        "too_many_calls_this_week",
        bxl("2025-03-10", "08:00"),
        id="weekly_release_outside_hours_moves_to_monday",
    ),
    pytest.param(
        CH.PHONE,
        bxl("2025-04-03", "10:30"),
        calls(bxl("2025-03-27", "10:00"), bxl("2025-03-28", "10:00"), bxl("2025-03-29", "10:00")),
        "too_many_calls_this_week",
        bxl("2025-04-03", "11:00"),
        id="7_days_are_168_hours_across_summer_time",
    ),
    pytest.param(
        CH.EMAIL,
        bxl("2025-03-07", "10:00"),
        calls(*(bxl(f"2025-03-0{d}", "10:00") for d in range(1, 6)), channel=CH.EMAIL),
        "too_many_contacts_this_week",
        bxl("2025-03-08", "10:00"),
        id="sixth_contact_in_7_days",
    ),
    pytest.param(
        CH.SMS,
        bxl("2025-03-07", "10:00"),
        [
            *calls(bxl("2025-03-03", "10:00"), bxl("2025-03-04", "10:00"), channel=CH.EMAIL),
            *calls(bxl("2025-03-05", "10:00"), channel=CH.HOME_VISIT),
            *calls(bxl("2025-03-06", "10:00")),
            *calls(bxl("2025-03-06", "11:00"), channel=CH.SMS),
        ],
        "too_many_contacts_this_week",
        bxl("2025-03-10", "10:00"),
        id="every_channel_counts_but_letters",
    ),
    pytest.param(
        CH.EMAIL,
        bxl("2025-03-07", "10:00"),
        [
            *calls(*(bxl(f"2025-03-0{d}", "10:00") for d in range(3, 7)), channel=CH.EMAIL),
            *calls(*(bxl(f"2025-03-0{d}", "11:00") for d in range(3, 7)), channel=CH.LETTER),
        ],
        None,
        None,
        id="letters_are_not_counted",
    ),
    pytest.param(
        CH.LETTER,
        bxl("2025-03-07", "10:00"),
        calls(*(bxl(f"2025-03-0{d}", "10:00") for d in range(1, 7)), channel=CH.EMAIL),
        None,
        None,
        id="a_letter_is_never_limited",
    ),
]


@pytest.mark.parametrize(("channel", "at", "recent", "reason", "next_at"), FREQUENCY_CASES)
def test_frequency_limits(
    channel: ContactChannel,
    at: datetime,
    recent: list[PastContact],
    reason: str | None,
    next_at: datetime | None,
) -> None:
    decision = check(channel, at, recent=recent)
    if reason is None:
        assert_allowed(decision)
        return
    assert (decision.allowed, decision.reason) == (False, reason)
    assert decision.next_allowed_at == next_at
    assert "VI.101" in decision.article


def test_frequency_limits_do_not_block_required_messages() -> None:
    # A dispute acknowledgement (CEL art. XIX.7 §3) is owed whatever was sent before.
    recent = calls(*(bxl(f"2025-03-0{d}", "10:00") for d in range(1, 7)), channel=CH.EMAIL)
    decision = check(
        CH.EMAIL,
        bxl("2025-03-07", "10:00"),
        S.DISPUTED,
        purpose=P.DISPUTE_ACKNOWLEDGEMENT,
        recent=recent,
    )
    assert_allowed(decision)


def test_frequency_limits_are_about_the_debtor_not_the_mediator() -> None:
    recent = calls(bxl(TUESDAY, "09:00"))
    assert_allowed(
        check(
            CH.PHONE, bxl(TUESDAY, "15:00"), S.DEBT_MEDIATION, recipient=R.MEDIATOR, recent=recent
        )
    )


def test_stricter_policy_limits() -> None:
    policy = ContactPolicy(max_phone_per_week=1)
    decision = check(
        CH.PHONE, bxl(TUESDAY), recent=calls(bxl("2025-03-01", "12:00")), policy=policy
    )
    assert (decision.reason, decision.next_allowed_at) == (
        "too_many_calls_this_week",
        bxl("2025-03-08", "12:00"),
    )


def test_a_limit_of_zero_never_releases() -> None:
    decision = check(CH.PHONE, bxl(TUESDAY), policy=ContactPolicy(max_phone_per_day=0))
    assert (decision.reason, decision.next_allowed_at) == ("too_many_calls_today", None)


def test_the_clock_rule_is_reported_before_the_frequency_rule() -> None:
    # Sunday, and a call already made on Saturday: "sunday", and Monday 08:00 passes both.
    decision = check(CH.PHONE, bxl("2025-03-09"), recent=calls(bxl("2025-03-08", "10:00")))
    assert (decision.reason, decision.next_allowed_at) == ("sunday", bxl("2025-03-10", "08:00"))


# Property: next_allowed_at is the first moment that passes --------------------------------------

moments = st.integers(min_value=0, max_value=60 * 24 * 400).map(
    lambda minutes: datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
)
channels = st.sampled_from([CH.PHONE, CH.SMS, CH.EMAIL, CH.HOME_VISIT])


@settings(max_examples=40, deadline=None)
@given(
    at=moments,
    channel=channels,
    earlier=st.lists(
        st.tuples(channels, st.integers(min_value=1, max_value=60 * 24 * 8)), max_size=7
    ),
)
def test_next_allowed_at_is_the_first_moment_that_passes(
    at: datetime, channel: ContactChannel, earlier: list[tuple[ContactChannel, int]]
) -> None:
    history = [PastContact(ch, at - timedelta(minutes=ago)) for ch, ago in earlier]
    decision = check(channel, at, recent=history)
    if decision.allowed:
        return
    assert decision.next_allowed_at is not None
    assert decision.next_allowed_at > at
    assert check(channel, decision.next_allowed_at, recent=history).allowed
    one_second_before = decision.next_allowed_at - timedelta(seconds=1)
    assert not check(channel, one_second_before, recent=history).allowed
