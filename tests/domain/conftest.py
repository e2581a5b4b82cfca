"""The domain core is pure: its tests need no settings, no database and no files."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated() -> None:
    """Overrides the project-wide fixture: nothing to isolate in pure functions."""
