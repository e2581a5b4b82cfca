"""Dates, rates and bank references as the letters write them, per language."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal

import pytest
from stdnum.exceptions import ValidationError

from amicable.letters import formatting
from amicable.letters.formatting import (
    format_date,
    format_iban,
    format_percent,
    format_structured_communication,
    structured_communication_digits,
)


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(formatting).failed == 0


@pytest.mark.parametrize(
    ("day", "language", "text"),
    [
        pytest.param(date(2025, 3, 3), "fr", "3 mars 2025", id="fr"),
        pytest.param(date(2025, 8, 1), "fr", "1er août 2025", id="fr_first_of_month"),
        pytest.param(date(2025, 3, 3), "nl", "3 maart 2025", id="nl"),
        pytest.param(date(2025, 3, 3), "de", "3. März 2025", id="de"),
        pytest.param(date(2025, 12, 25), "en", "25 December 2025", id="en"),
    ],
)
def test_dates_are_written_in_full(day: date, language: str, text: str) -> None:
    assert format_date(day, language) == text.replace(" ", "\u00a0")


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown language 'it'"):
        format_date(date(2025, 3, 3), "it")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        pytest.param("fr", "10,50\u00a0%", id="fr"),
        pytest.param("nl", "10,50%", id="nl"),
        pytest.param("de", "10,50\u00a0%", id="de"),
        pytest.param("en", "10.50%", id="en"),
    ],
)
def test_rates(language: str, text: str) -> None:
    assert format_percent(Decimal("10.5"), language) == text


def test_a_float_rate_is_refused() -> None:
    with pytest.raises(TypeError, match="float"):
        format_percent(10.5, "fr")  # type: ignore[arg-type]


def test_iban_in_groups_of_four() -> None:
    assert format_iban("be71 0961 2345 6769") == "BE71 0961 2345 6769"


@pytest.mark.parametrize(
    "written",
    [
        pytest.param("010806817183", id="digits"),
        pytest.param("+++010/8068/17183+++", id="plus_form"),
        pytest.param("***010/8068/17183***", id="asterisk_form"),
    ],
)
def test_structured_communication_forms(written: str) -> None:
    assert format_structured_communication(written) == "+++010/8068/17183+++"
    assert structured_communication_digits(written) == "010806817183"


def test_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(ValidationError):
        format_structured_communication("+++010/8068/17180+++")
