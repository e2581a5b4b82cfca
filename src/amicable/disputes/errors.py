"""The refusal of every write on disputes, documents requested and declarations."""

from __future__ import annotations

from amicable.files.actions import ActionRefused

__all__ = ["DisputeError"]


class DisputeError(ActionRefused):
    """A request or a decision that cannot be recorded as asked (nothing was written)."""
