"""Euro amounts and their formatting (docs/legal.md, section 2 policy on truncation)."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest

from amicable.domain.money import (
    CENT,
    ZERO,
    as_decimal,
    as_money,
    format_eur,
    to_cents_down,
    to_cents_half_up,
)


def test_constants() -> None:
    assert str(ZERO) == "0.00"
    assert str(CENT) == "0.01"


@pytest.mark.parametrize(
    ("value", "down", "half_up"),
    [
        pytest.param(Decimal("36.555"), "36.55", "36.56", id="half"),
        pytest.param(Decimal("36.559"), "36.55", "36.56", id="above_half"),
        pytest.param(Decimal("36.551"), "36.55", "36.55", id="below_half"),
        pytest.param(Decimal("-36.555"), "-36.55", "-36.56", id="negative_half"),
        pytest.param(Decimal("20"), "20.00", "20.00", id="integer"),
        pytest.param(Decimal("0.004"), "0.00", "0.00", id="under_a_cent"),
    ],
)
def test_rounding_helpers(value: Decimal, down: str, half_up: str) -> None:
    assert str(to_cents_down(value)) == down
    assert str(to_cents_half_up(value)) == half_up


def test_rounding_ignores_the_ambient_context() -> None:
    with localcontext() as context:
        context.rounding = "ROUND_CEILING"
        context.prec = 3
        assert to_cents_down(Decimal("123456.789")) == Decimal("123456.78")
        assert to_cents_half_up(Decimal("123456.785")) == Decimal("123456.79")


@pytest.mark.parametrize("helper", [to_cents_down, to_cents_half_up, as_money, as_decimal])
def test_a_float_is_refused(helper: object) -> None:
    with pytest.raises(TypeError, match="not a float"):
        helper(0.1)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(Decimal("12.5"), "12.50", id="decimal_one_place"),
        pytest.param(Decimal("12.50"), "12.50", id="decimal_two_places"),
        pytest.param(7, "7.00", id="int"),
        pytest.param("1234.56", "1234.56", id="string"),
        pytest.param(" 3.1 ", "3.10", id="string_with_spaces"),
        pytest.param("1.500", "1.50", id="trailing_zero"),
        pytest.param("-4.2", "-4.20", id="negative"),
    ],
)
def test_as_money(value: Decimal | int | str, expected: str) -> None:
    assert str(as_money(value)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("1.505", "more than two decimals", id="three_decimals"),
        pytest.param(Decimal("0.001"), "more than two decimals", id="decimal_three_decimals"),
        pytest.param("12,50", "is not an amount", id="comma"),
        pytest.param("", "is not an amount", id="empty"),
        pytest.param("NaN", "finite", id="nan_string"),
        pytest.param(Decimal("Infinity"), "finite", id="infinity"),
        pytest.param(Decimal("NaN"), "finite", id="nan"),
    ],
)
def test_as_money_refuses(value: Decimal | str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        as_money(value)


@pytest.mark.parametrize("value", [True, None, [1]])
def test_as_money_refuses_other_types(value: object) -> None:
    with pytest.raises(TypeError, match="must be a Decimal"):
        as_money(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        pytest.param("1234.56", "fr", "1\u202f234,56\u00a0€", id="fr"),
        pytest.param("1234.56", "nl", "€\u00a01.234,56", id="nl"),
        pytest.param("1234.56", "de", "1.234,56\u00a0€", id="de"),
        pytest.param("1234.56", "en", "€1,234.56", id="en"),
        pytest.param("-1234567.8", "fr", "-1\u202f234\u202f567,80\u00a0€", id="fr_negative"),
        pytest.param("-1234.56", "nl", "-€\u00a01.234,56", id="nl_negative"),
        pytest.param("-0.05", "de", "-0,05\u00a0€", id="de_negative_cents"),
        pytest.param("-1234.56", "en", "-€1,234.56", id="en_negative"),
        pytest.param("0", "fr", "0,00\u00a0€", id="fr_zero"),
        pytest.param("999.9", "nl", "€\u00a0999,90", id="nl_no_thousands"),
    ],
)
def test_format_eur(amount: str, language: str, expected: str) -> None:
    assert format_eur(Decimal(amount), language) == expected


def test_format_eur_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="use one of fr, nl, de, en"):
        format_eur(Decimal("1.00"), "es")


def test_format_eur_refuses_fractions_of_a_cent() -> None:
    with pytest.raises(ValueError, match="more than two decimals"):
        format_eur(Decimal("1.005"), "en")
