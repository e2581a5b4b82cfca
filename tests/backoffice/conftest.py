"""The back office's tests live in staff's day (``tests.staff``)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _today(staff_day: None) -> None:
    """Every back-office test runs on Wednesday 18 June 2025, 10:30 in Brussels."""
