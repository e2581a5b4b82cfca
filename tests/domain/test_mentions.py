"""Mandatory mentions per letter kind and the figure rules of a letter (CEL art. XIX.2, XIX.4,
XIX.7 §2; Judicial Code art. 1675/9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from amicable.domain.imputation import Component
from amicable.domain.mentions import (
    ASKS_FOR_MONEY,
    CLAIMABLE_COMPONENTS,
    MANDATORY_MENTIONS,
    NEVER_ASKS_FOR_MONEY,
    SUPERVISORY_AUTHORITY,
    AmountItem,
    LetterKind,
    letter_rule_violations,
    missing_mentions,
)

POSTAGE = Decimal("1.43")


def _codes(kind: LetterKind) -> set[str]:
    return {m.code for m in MANDATORY_MENTIONS[kind]}


def test_every_kind_declares_its_mentions_once_with_an_article() -> None:
    assert set(MANDATORY_MENTIONS) == set(LetterKind)
    for kind, mentions in MANDATORY_MENTIONS.items():
        codes = [m.code for m in mentions]
        assert len(codes) == len(set(codes)), kind
        for mention in mentions:
            assert mention.article.startswith(("CEL art. XIX.", "Judicial Code art. 1675/"))
            assert mention.description


def test_formal_notice_mentions_are_those_of_art_xix_7_section_2() -> None:
    assert _codes(LetterKind.FORMAL_NOTICE) >= {
        "creditor.name",
        "creditor.enterprise_number",
        "creditor.address",
        "creditor.phone",
        "creditor.email",
        "creditor.capacity",
        "agency.name",
        "agency.address",
        "agency.enterprise_number",
        "agency.phone",
        "agency.email",
        "agency.fps_registration",
        "supervisory_authority",
        "claims.description",
        "claims.due_date",
        "amounts.itemised",
        "period.end",
    }


def test_first_reminder_mentions_are_those_of_art_xix_2() -> None:
    assert _codes(LetterKind.FIRST_REMINDER) >= {
        "amounts.total",
        "damages.if_unpaid",
        "creditor.name",
        "creditor.enterprise_number",
        "claims.due_date",
        "claims.description",
        "period.end",
    }


def test_mediator_declaration_names_the_admissibility_date_and_the_debtor() -> None:
    assert _codes(LetterKind.MEDIATOR_CLAIM_DECLARATION) >= {
        "admissibility_date",
        "debtor.name",
        "debtor.address",
        "recipient.name",
        "recipient.address",
    }


def test_every_letter_carries_the_collector_registration_number() -> None:
    for kind in LetterKind:
        assert "agency.fps_registration" in _codes(kind), kind


def test_letters_that_ask_for_money_require_the_payment_details() -> None:
    payment = {
        "payment.beneficiary",
        "payment.iban",
        "payment.amount",
        "payment.structured_communication",
    }
    for kind in LetterKind:
        assert (payment <= _codes(kind)) is (kind in ASKS_FOR_MONEY), kind
    assert not ASKS_FOR_MONEY & NEVER_ASKS_FOR_MONEY


def test_the_closed_list_is_what_a_payment_can_extinguish() -> None:
    assert {c.value for c in Component} == CLAIMABLE_COMPONENTS


def test_supervisory_authority_address_in_every_language() -> None:
    assert SUPERVISORY_AUTHORITY.address == {
        "fr": "Boulevard du Roi Albert II 16, 1000 Bruxelles",
        "nl": "Koning Albert II-laan 16, 1000 Brussel",
        "de": "Boulevard du Roi Albert II 16, 1000 Brüssel",
        "en": "Boulevard du Roi Albert II 16, 1000 Brussels",
    }
    assert SUPERVISORY_AUTHORITY.name["en"] == (
        "FPS Economy, SMEs, Self-employed and Energy, Directorate-General Economic Inspection"
    )


def _complete(kind: LetterKind) -> dict[str, object]:
    return {m.code: "x" for m in MANDATORY_MENTIONS[kind]}


def test_nothing_is_missing_when_every_mention_has_a_value() -> None:
    for kind in LetterKind:
        assert missing_mentions(kind, _complete(kind)) == [], kind


@pytest.mark.parametrize(
    ("value", "missing"),
    [
        pytest.param(None, True, id="none_case"),
        pytest.param("", True, id="empty_string_case"),
        pytest.param("   ", True, id="blank_string_case"),
        pytest.param((), True, id="empty_tuple_case"),
        pytest.param([], True, id="empty_list_case"),
        pytest.param({}, True, id="empty_mapping_case"),
        pytest.param(False, False, id="false_is_a_value_case"),
        pytest.param(Decimal("0.00"), False, id="zero_is_a_value_case"),
        pytest.param(date(2025, 3, 3), False, id="date_case"),
        pytest.param(("Rue 1",), False, id="address_lines_case"),
    ],
)
def test_what_counts_as_missing(value: object, missing: bool) -> None:
    provided = _complete(LetterKind.FORMAL_NOTICE) | {"agency.fps_registration": value}
    codes = [m.code for m in missing_mentions(LetterKind.FORMAL_NOTICE, provided)]
    assert codes == (["agency.fps_registration"] if missing else [])


def test_missing_mentions_come_in_declaration_order_with_their_article() -> None:
    provided = _complete(LetterKind.FORMAL_NOTICE)
    del provided["supervisory_authority"]
    provided["creditor.phone"] = None
    missing = missing_mentions(LetterKind.FORMAL_NOTICE, provided)
    assert [(m.code, m.article) for m in missing] == [
        ("creditor.phone", "CEL art. XIX.7 §2"),
        ("supervisory_authority", "CEL art. XIX.7 §2"),
    ]


# --- figure rules ------------------------------------------------------------------------------

PRINCIPAL = AmountItem("principal", "Invoice 2025-0117", Decimal("215.00"))
INTEREST = AmountItem("interest", "", Decimal("2.10"))
INDEMNITY_AT_CAP = AmountItem("indemnity", "", Decimal("36.50"))  # cap on 215.00 (art. XIX.4)


def _violations(kind: LetterKind, *items: AmountItem, **overrides: object) -> list[str]:
    arguments: dict[str, object] = {
        "items": items,
        "balance_for_cap": Decimal("215.00"),
        "reminder_chargeable": False,
        "postage": POSTAGE,
    }
    arguments.update(overrides)
    return letter_rule_violations(kind, **arguments)  # type: ignore[arg-type]


def test_a_lawful_formal_notice_breaks_no_rule() -> None:
    assert (
        _violations(
            LetterKind.FORMAL_NOTICE,
            PRINCIPAL,
            INTEREST,
            INDEMNITY_AT_CAP,
            payment_amount=Decimal("253.60"),
            sent_on=date(2025, 4, 7),
            period_end=date(2025, 4, 23),
        )
        == []
    )


@pytest.mark.parametrize(
    "component",
    [
        pytest.param("agency_fee", id="agency_fee_case"),
        pytest.param("file_fee", id="file_fee_case"),
        pytest.param("registered_mail", id="registered_mail_case"),
    ],
)
def test_components_outside_the_closed_list_of_art_xix_4_are_refused(component: str) -> None:
    fee = AmountItem(component, "Fee", Decimal("15.00"))
    assert _violations(LetterKind.FORMAL_NOTICE, PRINCIPAL, fee) == [
        f"'Fee' ({component}, 15.00) may not be claimed: CEL art. XIX.4 allows only the "
        "principal, late interest, the lump-sum indemnity and capped reminder costs, never "
        "agency or file fees."
    ]


def test_an_indemnity_one_cent_above_the_cap_is_refused() -> None:
    above = AmountItem("indemnity", "", Decimal("36.51"))
    assert _violations(LetterKind.FORMAL_NOTICE, PRINCIPAL, above) == [
        "The indemnity (36.51) is above the cap of 36.50 on an outstanding balance of 215.00: "
        "CEL art. XIX.4."
    ]


def test_indemnity_lines_are_added_up_before_the_cap() -> None:
    half = AmountItem("indemnity", "", Decimal("20.00"))
    assert _violations(LetterKind.FORMAL_NOTICE, PRINCIPAL, half, half) == [
        "The indemnity (40.00) is above the cap of 36.50 on an outstanding balance of 215.00: "
        "CEL art. XIX.4."
    ]


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(INTEREST, id="interest_case"),
        pytest.param(INDEMNITY_AT_CAP, id="indemnity_case"),
        pytest.param(AmountItem("reminder_cost", "", Decimal("7.50")), id="reminder_cost_case"),
    ],
)
def test_the_first_reminder_is_free_and_carries_no_damages(item: AmountItem) -> None:
    assert _violations(LetterKind.FIRST_REMINDER, PRINCIPAL, item) == [
        f"'{item.label}' ({item.component}, {item.amount}) cannot appear on the first reminder: "
        "it is free and no damages or interest may be claimed before its payment period ends "
        "(CEL art. XIX.2 §1)."
    ]


def test_only_a_follow_up_reminder_may_charge_its_own_cost() -> None:
    cost = AmountItem("reminder_cost", "R", Decimal("7.50"), charged_by_this_letter=True)
    assert _violations(LetterKind.FORMAL_NOTICE, PRINCIPAL, cost, reminder_chargeable=True) == [
        "'R' (reminder_cost, 7.50): a formal_notice letter cannot charge its own cost; only a "
        "further reminder may (CEL art. XIX.2 §1)."
    ]


def test_a_follow_up_reminder_that_is_not_chargeable_carries_no_cost() -> None:
    cost = AmountItem("reminder_cost", "R", Decimal("7.50"), charged_by_this_letter=True)
    assert _violations(LetterKind.FOLLOW_UP_REMINDER, PRINCIPAL, cost) == [
        "'R' (reminder_cost, 7.50): this reminder is not chargeable (the first reminder, or one "
        "of the three free reminders a year of a regular supply, is free: CEL art. XIX.2 §1)."
    ]


@pytest.mark.parametrize(
    ("amount", "violations"),
    [
        pytest.param(Decimal("8.93"), [], id="exactly_7_50_plus_postage_case"),
        pytest.param(
            Decimal("8.94"),
            [
                "'R' (reminder_cost, 8.94) is above the cap of 8.93 (EUR 7.50 plus 1.43 "
                "postage) for one reminder: CEL art. XIX.2."
            ],
            id="one_cent_above_case",
        ),
    ],
)
def test_a_follow_up_reminder_costs_at_most_7_50_plus_postage(
    amount: Decimal, violations: list[str]
) -> None:
    cost = AmountItem("reminder_cost", "R", amount, charged_by_this_letter=True)
    assert (
        _violations(LetterKind.FOLLOW_UP_REMINDER, PRINCIPAL, cost, reminder_chargeable=True)
        == violations
    )


def test_every_violation_is_listed_not_only_the_first() -> None:
    fee = AmountItem("agency_fee", "Fee", Decimal("15.00"))
    above = AmountItem("indemnity", "", Decimal("50.00"))
    cost = AmountItem("reminder_cost", "R", Decimal("9.00"), charged_by_this_letter=True)
    violations = _violations(LetterKind.FOLLOW_UP_REMINDER, PRINCIPAL, fee, above, cost)
    assert len(violations) == 4
    assert [v.split(" ")[0] for v in violations] == ["'Fee'", "'R'", "'R'", "The"]


@pytest.mark.parametrize(
    ("kind", "period_end", "violations"),
    [
        pytest.param(LetterKind.FIRST_REMINDER, date(2025, 3, 17), [], id="first_14_days_case"),
        pytest.param(
            LetterKind.FIRST_REMINDER,
            date(2025, 3, 16),
            [
                "The payment period ends on 2025-03-16, less than 14 calendar days after the "
                "letter of 2025-03-03 (not before 2025-03-17): CEL art. XIX.2 §1."
            ],
            id="first_13_days_case",
        ),
        pytest.param(
            LetterKind.FORMAL_NOTICE,
            date(2025, 3, 10),
            [
                "The waiting period ends on 2025-03-10, less than 14 calendar days after the "
                "letter of 2025-03-03 (not before 2025-03-17): CEL art. XIX.7 §2."
            ],
            id="notice_7_days_case",
        ),
        pytest.param(LetterKind.FOLLOW_UP_REMINDER, date(2025, 3, 4), [], id="no_floor_case"),
    ],
)
def test_the_payment_and_waiting_periods_last_14_days(
    kind: LetterKind, period_end: date, violations: list[str]
) -> None:
    assert (
        _violations(kind, PRINCIPAL, sent_on=date(2025, 3, 3), period_end=period_end) == violations
    )


@pytest.mark.parametrize(
    ("kind", "amount", "violations"),
    [
        pytest.param(LetterKind.FORMAL_NOTICE, Decimal("215.00"), [], id="whole_balance_case"),
        pytest.param(LetterKind.FORMAL_NOTICE, Decimal("50.00"), [], id="part_case"),
        pytest.param(
            LetterKind.FORMAL_NOTICE,
            Decimal("215.01"),
            ["The amount to pay (215.01) is more than the total of the amounts shown (215.00)."],
            id="above_total_case",
        ),
        pytest.param(
            LetterKind.FORMAL_NOTICE,
            Decimal("0.00"),
            ["The amount to pay (0.00) must be more than 0."],
            id="zero_case",
        ),
        pytest.param(
            LetterKind.DISPUTE_ACKNOWLEDGEMENT,
            Decimal("215.00"),
            [
                "A dispute_acknowledgement letter may not ask for payment: a reasoned dispute "
                "suspends collection until the file is checked (docs/legal.md, sections 3 and 4)."
            ],
            id="suspended_case",
        ),
    ],
)
def test_the_payment_box_asks_for_what_is_due_and_only_when_allowed(
    kind: LetterKind, amount: Decimal, violations: list[str]
) -> None:
    assert _violations(kind, PRINCIPAL, payment_amount=amount) == violations


def test_deductions_are_negative_and_claims_are_not() -> None:
    paid = AmountItem("payment", "Transfer", Decimal("10.00"))
    negative = AmountItem("interest", "", Decimal("-1.00"))
    assert _violations(LetterKind.STATEMENT_OF_ACCOUNT, PRINCIPAL, paid, negative) == [
        "'Transfer' (payment, 10.00) lowers what is due and must be negative.",
        "'' (interest, -1.00) is negative; a claimed amount is 0 or more.",
    ]


def test_a_received_payment_is_shown_not_claimed() -> None:
    paid = AmountItem("payment", "Transfer", Decimal("-100.00"))
    assert _violations(LetterKind.STATEMENT_OF_ACCOUNT, PRINCIPAL, paid) == []


def test_a_float_amount_is_refused() -> None:
    with pytest.raises(TypeError, match="float"):
        AmountItem("principal", "Invoice", 12.5)  # type: ignore[arg-type]
