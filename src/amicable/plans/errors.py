"""The refusal of every write on payment plans."""

from __future__ import annotations

from amicable.files.actions import ActionRefused

__all__ = ["PlanError"]


class PlanError(ActionRefused):
    """A request or an answer that cannot be recorded at all (nothing was written)."""
