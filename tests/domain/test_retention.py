"""How long personal data is kept (GDPR art. 5(1)(e) and 17; docs/legal.md, section 7)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amicable.domain.lifecycle import FileState
from amicable.domain.retention import (
    PERIOD_YEARS,
    Retention,
    erasure_day,
    last_start_due,
    retention_of_file,
)

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        pytest.param(FileState.PAID, Retention.PAID_FILE, id="gdpr_5_1_e_paid_seven_years"),
        pytest.param(FileState.CLOSED, Retention.CLOSED_FILE, id="gdpr_5_1_e_closed_one_year"),
        *(
            pytest.param(state, None, id=f"gdpr_5_1_e_open_{state.value}_kept")
            for state in FileState
            if state not in {FileState.PAID, FileState.CLOSED}
        ),
    ],
)
def test_gdpr_5_1_e_only_a_closed_file_has_a_period(
    state: FileState, expected: Retention | None
) -> None:
    assert retention_of_file(state) is expected


def test_gdpr_5_1_e_the_periods_of_the_policy() -> None:
    assert dict(PERIOD_YEARS) == {
        Retention.PAID_FILE: 7,
        Retention.CLOSED_FILE: 1,
        Retention.NO_FILE: 1,
    }


@pytest.mark.parametrize(
    ("rule", "start", "erased_on"),
    [
        pytest.param(Retention.PAID_FILE, date(2018, 5, 31), date(2025, 5, 31), id="paid_7y"),
        pytest.param(Retention.CLOSED_FILE, date(2024, 6, 1), date(2025, 6, 1), id="closed_1y"),
        pytest.param(Retention.NO_FILE, date(2024, 12, 31), date(2025, 12, 31), id="no_file_1y"),
        pytest.param(Retention.CLOSED_FILE, date(2024, 2, 29), date(2025, 3, 1), id="leap_day"),
        pytest.param(Retention.PAID_FILE, date(2016, 2, 29), date(2023, 3, 1), id="leap_day_7y"),
    ],
)
def test_gdpr_17_erased_when_the_full_years_have_passed(
    rule: Retention, start: date, erased_on: date
) -> None:
    assert erasure_day(rule, start) == erased_on
    assert start <= last_start_due(rule, erased_on)
    assert start > last_start_due(rule, date.fromordinal(erased_on.toordinal() - 1))


@given(rule=st.sampled_from(list(Retention)), start=DAYS, today=DAYS)
def test_gdpr_17_the_day_and_the_cut_off_always_agree(
    rule: Retention, start: date, today: date
) -> None:
    """The set-based erasure (everything started by the cut-off) erases exactly what each
    record's own erasure day says."""
    assert (erasure_day(rule, start) <= today) is (start <= last_start_due(rule, today))
