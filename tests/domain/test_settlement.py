"""When a file is settled (old Civil Code art. 1234), one definition (domain.settlement)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amicable.domain.settlement import is_settled

D = Decimal


@pytest.mark.parametrize(
    ("principal_charged", "outstanding", "expected"),
    [
        pytest.param(D("0.00"), D("0.00"), False, id="civil_code_1234_no_debt_yet"),
        pytest.param(D("100.00"), D("0.01"), False, id="civil_code_1234_one_cent_left"),
        pytest.param(D("100.00"), D("0.00"), True, id="civil_code_1234_paid"),
        pytest.param(D("100.00"), D("-5.00"), True, id="civil_code_1234_overpaid"),
    ],
)
def test_civil_code_1234_paid_means_nothing_owed(
    principal_charged: Decimal,
    outstanding: Decimal,
    expected: bool,
) -> None:
    assert is_settled(principal_charged=principal_charged, outstanding=outstanding) is expected
