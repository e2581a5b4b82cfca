"""Imputation of payments (old Civil Code art. 1253 to 1256; docs/legal.md, section 6)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amicable.domain.imputation import (
    Component,
    Imputation,
    OpenItem,
    Share,
    impute,
)

C = Component
D = Decimal
OLD = date(2024, 11, 30)
NEW = date(2025, 2, 28)


def item(claim_id: int, component: Component, amount: str, due: date = OLD) -> OpenItem:
    return OpenItem(claim_id=claim_id, component=component, amount=D(amount), due_date=due)


def split(result: Imputation) -> list[tuple[int, str, str]]:
    return [(a.claim_id, a.component.value, str(a.amount)) for a in result.shares]


def test_component_values_are_the_stored_ones() -> None:
    assert [c.value for c in Component] == ["interest", "indemnity", "reminder_cost", "principal"]


# Two claims: claim 1 (older) and claim 2 (newer), each with every component open.
TWO_CLAIMS = [
    item(2, C.PRINCIPAL, "300.00", NEW),
    item(1, C.PRINCIPAL, "100.00", OLD),
    item(2, C.REMINDER_COST, "7.50", NEW),
    item(1, C.REMINDER_COST, "7.50", OLD),
    item(2, C.INDEMNITY, "45.00", NEW),
    item(1, C.INDEMNITY, "20.00", OLD),
    item(2, C.INTEREST, "4.20", NEW),
    item(1, C.INTEREST, "1.30", OLD),
]


@pytest.mark.parametrize(
    ("payment", "designated", "expected", "overpayment"),
    [
        pytest.param(
            "3.00",
            None,
            [(1, "interest", "1.30"), (2, "interest", "1.70")],
            "0.00",
            id="interest_first_oldest_first_art_1254_1256",
        ),
        pytest.param(
            "30.00",
            None,
            [
                (1, "interest", "1.30"),
                (2, "interest", "4.20"),
                (1, "indemnity", "20.00"),
                (1, "reminder_cost", "4.50"),
            ],
            "0.00",
            id="costs_tier_oldest_claim_indemnity_before_reminder_art_1254",
        ),
        pytest.param(
            "90.00",
            None,
            [
                (1, "interest", "1.30"),
                (2, "interest", "4.20"),
                (1, "indemnity", "20.00"),
                (1, "reminder_cost", "7.50"),
                (2, "indemnity", "45.00"),
                (2, "reminder_cost", "7.50"),
                (1, "principal", "4.50"),
            ],
            "0.00",
            id="principal_last_art_1254",
        ),
        pytest.param(
            "500.00",
            None,
            [
                (1, "interest", "1.30"),
                (2, "interest", "4.20"),
                (1, "indemnity", "20.00"),
                (1, "reminder_cost", "7.50"),
                (2, "indemnity", "45.00"),
                (2, "reminder_cost", "7.50"),
                (1, "principal", "100.00"),
                (2, "principal", "300.00"),
            ],
            "14.50",
            id="overpayment_after_everything",
        ),
        pytest.param(
            "60.00",
            2,
            [
                (2, "interest", "4.20"),
                (2, "indemnity", "45.00"),
                (2, "reminder_cost", "7.50"),
                (2, "principal", "3.30"),
            ],
            "0.00",
            id="designated_claim_first_art_1253_interest_first_art_1254",
        ),
        pytest.param(
            "370.00",
            2,
            [
                (2, "interest", "4.20"),
                (2, "indemnity", "45.00"),
                (2, "reminder_cost", "7.50"),
                (2, "principal", "300.00"),
                (1, "interest", "1.30"),
                (1, "indemnity", "12.00"),
            ],
            "0.00",
            id="designated_claim_then_normal_order_art_1253",
        ),
        pytest.param(
            "3.00",
            99,
            [(1, "interest", "1.30"), (2, "interest", "1.70")],
            "0.00",
            id="designated_claim_with_nothing_open_changes_nothing",
        ),
    ],
)
def test_impute(
    payment: str, designated: int | None, expected: list[tuple[int, str, str]], overpayment: str
) -> None:
    result = impute(D(payment), TWO_CLAIMS, designated_claim_id=designated)
    assert split(result) == expected
    assert result.overpayment == D(overpayment)
    assert result.allocated + result.overpayment == D(payment)


def test_same_due_date_lower_claim_id_first() -> None:
    items = [item(9, C.PRINCIPAL, "50.00"), item(4, C.PRINCIPAL, "50.00")]
    assert split(impute(D("60.00"), items)) == [
        (4, "principal", "50.00"),
        (9, "principal", "10.00"),
    ]


def test_oldest_due_date_wins_over_lower_claim_id() -> None:
    # docs/legal.md, section 6 policy (old Civil Code art. 1256): oldest claim first.
    items = [item(1, C.PRINCIPAL, "50.00", NEW), item(8, C.PRINCIPAL, "50.00", OLD)]
    assert split(impute(D("60.00"), items)) == [
        (8, "principal", "50.00"),
        (1, "principal", "10.00"),
    ]


def test_no_open_items_is_all_overpayment() -> None:
    result = impute(D("12.34"), [])
    assert result == Imputation(shares=(), overpayment=D("12.34"))
    assert result.allocated == D("0.00")


def test_amounts_come_back_with_two_places() -> None:
    result = impute(D("5"), [item(1, C.PRINCIPAL, "3")])
    assert result.shares == (Share(claim_id=1, component=C.PRINCIPAL, amount=D("3.00")),)
    assert str(result.shares[0].amount) == "3.00"
    assert str(result.overpayment) == "2.00"


def test_exact_payment_leaves_no_overpayment_and_no_zero_rows() -> None:
    items = [item(1, C.INTEREST, "1.00"), item(1, C.PRINCIPAL, "9.00"), item(2, C.PRINCIPAL, "5")]
    result = impute(D("10.00"), items)
    assert split(result) == [(1, "interest", "1.00"), (1, "principal", "9.00")]
    assert result.overpayment == D("0.00")


@pytest.mark.parametrize(
    ("payment", "error"),
    [
        pytest.param(D("0"), ValueError, id="zero"),
        pytest.param(D("-5.00"), ValueError, id="negative"),
        pytest.param(D("1.005"), ValueError, id="three_decimals"),
        pytest.param(D("NaN"), ValueError, id="nan"),
        pytest.param(D("Infinity"), ValueError, id="infinity"),
        pytest.param(1.5, TypeError, id="float"),
        pytest.param("1.50", TypeError, id="string"),
        pytest.param(True, TypeError, id="bool"),
    ],
)
def test_invalid_payment(payment: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        impute(payment, [item(1, C.PRINCIPAL, "10.00")])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "amount",
    [
        pytest.param(D("0.00"), id="zero"),
        pytest.param(D("-1.00"), id="negative"),
        pytest.param(D("0.001"), id="fraction_of_a_cent"),
    ],
)
def test_invalid_open_item_amount(amount: Decimal) -> None:
    bad = OpenItem(claim_id=3, component=C.INDEMNITY, amount=amount, due_date=OLD)
    with pytest.raises(ValueError, match=r"open amount of claim 3 \(indemnity\)"):
        impute(D("1.00"), [bad])


def test_float_open_item_amount_is_a_type_error() -> None:
    bad = OpenItem(claim_id=3, component=C.INDEMNITY, amount=1.5, due_date=OLD)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        impute(D("1.00"), [bad])


def test_whole_numbers_of_cents_with_trailing_zeros_are_accepted() -> None:
    result = impute(D("1.500"), [item(1, C.PRINCIPAL, "1.0000")])
    assert split(result) == [(1, "principal", "1.00")]
    assert result.overpayment == D("0.50")


# Properties ---------------------------------------------------------------------------------

cents = st.integers(min_value=1, max_value=5_000_000).map(lambda n: Decimal(n).scaleb(-2))
open_items = st.lists(
    st.builds(
        OpenItem,
        claim_id=st.integers(min_value=1, max_value=5),
        component=st.sampled_from(Component),
        amount=cents,
        due_date=st.integers(min_value=0, max_value=400).map(
            lambda n: date(2024, 1, 1) + timedelta(days=n)
        ),
    ),
    max_size=12,
)
designation = st.none() | st.integers(min_value=1, max_value=6)
TIER = {C.INTEREST: 0, C.INDEMNITY: 1, C.REMINDER_COST: 1, C.PRINCIPAL: 2}
PROPERTY = settings(max_examples=40, deadline=None)


@PROPERTY
@given(payment=cents, items=open_items, designated=designation)
def test_money_is_conserved(
    payment: Decimal, items: list[OpenItem], designated: int | None
) -> None:
    result = impute(payment, items, designated_claim_id=designated)
    assert sum(a.amount for a in result.shares) + result.overpayment == payment
    assert result.overpayment >= 0
    assert all(a.amount > 0 for a in result.shares)
    assert all(a.amount.as_tuple().exponent == -2 for a in result.shares)


@PROPERTY
@given(payment=cents, items=open_items, designated=designation)
def test_no_allocation_exceeds_what_is_open(
    payment: Decimal, items: list[OpenItem], designated: int | None
) -> None:
    result = impute(payment, items, designated_claim_id=designated)
    for claim_id, component in {(a.claim_id, a.component) for a in result.shares}:
        given_ = sum(
            a.amount for a in result.shares if (a.claim_id, a.component) == (claim_id, component)
        )
        open_ = sum(i.amount for i in items if (i.claim_id, i.component) == (claim_id, component))
        assert given_ <= open_


@PROPERTY
@given(payment=cents, items=open_items)
def test_no_later_tier_is_paid_while_an_earlier_one_is_open(
    payment: Decimal, items: list[OpenItem]
) -> None:
    # Old Civil Code art. 1254: not principal before interest, not principal before the costs.
    result = impute(payment, items)
    for tier in (0, 1):
        open_in_tier = sum((i.amount for i in items if TIER[i.component] == tier), Decimal(0))
        paid_in_tier = sum(
            (a.amount for a in result.shares if TIER[a.component] == tier), Decimal(0)
        )
        later_paid = any(TIER[a.component] > tier for a in result.shares)
        if later_paid:
            assert paid_in_tier == open_in_tier


@PROPERTY
@given(payment=cents, items=open_items, designated=designation)
def test_overpayment_only_when_everything_is_paid(
    payment: Decimal, items: list[OpenItem], designated: int | None
) -> None:
    result = impute(payment, items, designated_claim_id=designated)
    total_open = sum((i.amount for i in items), Decimal(0))
    if result.overpayment > 0:
        assert result.allocated == total_open
    else:
        assert result.allocated == payment


@PROPERTY
@given(payment=cents, items=open_items, designated=st.integers(min_value=1, max_value=5))
def test_designated_claim_is_paid_in_full_before_any_other(
    payment: Decimal, items: list[OpenItem], designated: int
) -> None:
    # Old Civil Code art. 1253: the debtor's designation wins.
    result = impute(payment, items, designated_claim_id=designated)
    others_paid = any(a.claim_id != designated for a in result.shares)
    if others_paid:
        designated_open = sum((i.amount for i in items if i.claim_id == designated), Decimal(0))
        designated_paid = sum(
            (a.amount for a in result.shares if a.claim_id == designated), Decimal(0)
        )
        assert designated_paid == designated_open
